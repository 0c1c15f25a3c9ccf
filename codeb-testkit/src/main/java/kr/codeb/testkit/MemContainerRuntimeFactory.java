package kr.codeb.testkit;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderConfig;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.runtime.ContainerRuntimeFactory;

/**
 * {@code mem:} opens a new, empty simulated engine; {@code mem:NAME} opens the engine of that
 * name, shared by everyone in this JVM who opens the same name. A query {@code ?http=true}
 * ({@code mem:demo?http=true}) makes running containers serve HTTP on their published ports
 * (see {@link MemContainerRuntime}).
 */
public final class MemContainerRuntimeFactory implements ContainerRuntimeFactory {
  private static final Map<String, MemContainerRuntime> NAMED = new ConcurrentHashMap<>();

  @Override
  public Set<String> schemes() {
    return Set.of("mem");
  }

  @Override
  public ContainerRuntime create(ProviderConfig config) {
    String part = config.uri().getRawSchemeSpecificPart();
    String name = part == null ? "" : part;
    String query = "";
    int q = name.indexOf('?');
    if (q >= 0) {
      query = name.substring(q + 1);
      name = name.substring(0, q);
    }
    name = name.replaceFirst("^/+", ""); // ProviderRegistry turns "mem:" into "mem:///"
    boolean http;
    switch (query) {
      case "", "http=false" -> http = false;
      case "http=true", "http" -> http = true;
      default -> throw new InvalidRequestException("unknown mem: runtime option '" + query
          + "': the only option is http=true (e.g. mem:demo?http=true)");
    }
    MemContainerRuntime runtime;
    if (name.isEmpty()) {
      runtime = MemContainerRuntime.create();
    } else if (!name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
      throw new InvalidRequestException("invalid mem: runtime name '" + name
          + "': use lowercase letters, digits, '.', '_', '-' (e.g. mem:demo)");
    } else {
      runtime = NAMED.computeIfAbsent(name, MemContainerRuntime::named).reopen();
    }
    return http ? runtime.serveHttp(true) : runtime;
  }
}
