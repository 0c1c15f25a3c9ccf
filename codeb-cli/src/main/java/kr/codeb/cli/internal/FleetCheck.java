package kr.codeb.cli.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.ProviderRegistry;
import kr.codeb.UnavailableException;
import kr.codeb.dns.DnsProvider;
import kr.codeb.fleet.Server;
import kr.codeb.fleet.ServerLink;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.runtime.ContainerRuntime;

/**
 * The checks of one server for {@code we fleet status}: SSH (login and the kernel's name),
 * then each engine it declares, each timed. An engine on a server whose SSH failed is not
 * tried: it fails naming why.
 */
final class FleetCheck {
  /** One check's outcome; {@code problem} is a kind ({@code auth}, {@code unreachable}, ...). */
  record Result(String check, boolean ok, Optional<String> version, Optional<String> detail,
      Optional<String> problem, long millis) {}

  private final ProviderRegistry registry;
  private final Server server;
  private final Duration timeout;

  FleetCheck(ProviderRegistry registry, Server server, Duration timeout) {
    this.registry = registry;
    this.server = server;
    this.timeout = timeout;
  }

  List<Result> run() {
    List<Result> results = new ArrayList<>();
    ServerLink link = null;
    if (server.ssh().isPresent()) {
      long start = System.nanoTime();
      try {
        link = registry.serverLink(server.ssh().get());
        ServerLink.CommandResult uname = link.run("uname -sr", timeout);
        results.add(ok("ssh", Optional.of(uname.stdout().strip()),
            Optional.of(server.ssh().get().address()), start));
      } catch (RuntimeException e) {
        results.add(failed("ssh", e, start));
      }
    }
    try {
      for (Map.Entry<String, java.net.URI> engine : server.engines().entrySet()) {
        String capability = engine.getKey();
        if (capability.endsWith("Listen")) {
          continue; // a listener's address for the proxy, not an API
        }
        if (server.ssh().isPresent() && link == null) {
          results.add(new Result(capability, false, Optional.empty(),
              Optional.of("not tried: SSH to the server failed"), Optional.of("unreachable"), 0));
          continue;
        }
        results.add(engine(link, capability, engine.getValue().toString()));
      }
    } finally {
      if (link != null) {
        link.close();
      }
    }
    return results;
  }

  private Result engine(ServerLink link, String capability, String uri) {
    ProviderRegistry on = link == null ? registry : registry.on(link);
    long start = System.nanoTime();
    try {
      switch (capability) {
        case "runtime" -> {
          try (ContainerRuntime runtime = on.containerRuntime(uri)) {
            var v = runtime.ping();
            return ok(capability, Optional.of(v.engine() + " " + v.version()),
                Optional.of(uri), start);
          }
        }
        case "proxy" -> {
          try (ReverseProxy proxy = on.reverseProxy(uri)) {
            int routes = proxy.routes().size();
            Optional<String> version = link == null ? Optional.empty() : commandVersion(link,
                "caddy version");
            return ok(capability, version, Optional.of(uri + " (" + routes + " routes)"), start);
          }
        }
        case "dns", "dnsCache" -> {
          if (capability.equals("dnsCache")) {
            return ok(capability, Optional.empty(), Optional.of(uri + " (checked by the proxy"
                + " at each switch)"), start);
          }
          try (DnsProvider dns = on.dnsProvider(uri)) {
            int zones = dns.zones().size();
            return ok(capability, dns.version(), Optional.of(uri + " (" + zones + " zones)"),
                start);
          }
        }
        default -> {
          return new Result(capability, false, Optional.empty(),
              Optional.of("unknown engine kind"), Optional.of("config"), 0);
        }
      }
    } catch (RuntimeException e) {
      return failed(capability, e, start);
    }
  }

  private Optional<String> commandVersion(ServerLink link, String command) {
    try {
      ServerLink.CommandResult r = link.run(command, timeout);
      String first = r.stdout().strip().split("\\s+", 2)[0];
      return r.succeeded() && !first.isBlank() ? Optional.of(first) : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Result ok(String check, Optional<String> version, Optional<String> detail,
      long start) {
    return new Result(check, true, version, detail, Optional.empty(), millisSince(start));
  }

  private static Result failed(String check, RuntimeException e, long start) {
    return new Result(check, false, Optional.empty(), Optional.of(message(e)),
        Optional.of(kind(e)), millisSince(start));
  }

  /** The failure's kind: {@code host-key}, {@code auth}, {@code timeout}, {@code unreachable}. */
  static String kind(RuntimeException e) {
    String m = message(e).toLowerCase(java.util.Locale.ROOT);
    if (e instanceof AuthException) {
      return m.contains("host key") ? "host-key" : "auth";
    }
    if (e instanceof UnavailableException) {
      return m.contains("time") ? "timeout" : "unreachable";
    }
    return e instanceof CodeBException ? "error" : "internal";
  }

  private static String message(RuntimeException e) {
    return e.getMessage() == null ? "failed" : e.getMessage();
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
