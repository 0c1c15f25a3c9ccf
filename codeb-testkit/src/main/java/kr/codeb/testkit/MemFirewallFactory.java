package kr.codeb.testkit;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderConfig;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.firewall.FirewallProviderFactory;

/**
 * {@code mem:} opens a new, empty in-memory firewall; {@code mem:NAME} opens the firewall of
 * that name, whose groups are shared by everyone in this JVM who opens the same name. Add
 * {@code ?groups=web,db} to make sure groups with those descriptions exist. No I/O.
 */
public final class MemFirewallFactory implements FirewallProviderFactory {
  private static final Map<String, MemFirewall.Groups> NAMED = new ConcurrentHashMap<>();

  @Override
  public Set<String> schemes() {
    return Set.of("mem");
  }

  @Override
  public FirewallProvider create(ProviderConfig config) {
    // mem: URIs are opaque, so URI.getQuery() (and ProviderConfig.query) see nothing.
    String part = config.uri().getSchemeSpecificPart();
    part = part == null ? "" : part;
    int q = part.indexOf('?');
    // "mem:" may arrive as "mem:///" (ProviderRegistry adds the slashes java.net.URI needs).
    String name = (q < 0 ? part : part.substring(0, q)).replaceFirst("^/+", "");
    String query = q < 0 ? "" : part.substring(q + 1);
    MemFirewall firewall;
    if (name.isEmpty()) {
      firewall = new MemFirewall(new MemFirewall.Groups(), "anonymous");
    } else {
      if (!name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
        throw new InvalidRequestException("invalid mem: firewall name '" + name
            + "': use lowercase letters, digits, '.', '_', '-' (e.g. mem:demo)");
      }
      firewall = new MemFirewall(NAMED.computeIfAbsent(name, n -> new MemFirewall.Groups()), name);
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      if (!pair.startsWith("groups=")) {
        throw new InvalidRequestException("unknown mem: firewall option '" + pair
            + "': only groups=DESCRIPTION[,DESCRIPTION...] is allowed");
      }
      for (String description : pair.substring("groups=".length()).split(",")) {
        if (!description.isBlank()) {
          firewall.ensureGroup(description);
        }
      }
    }
    return firewall;
  }
}
