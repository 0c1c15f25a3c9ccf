package kr.codeb.cli.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.fleet.Role;
import kr.codeb.fleet.Server;
import kr.codeb.fleet.Topology;

/**
 * Which engine serves each capability, in this order: the command-line flag, the environment
 * variable ({@code CODEB_RUNTIME}, ...), the config file's {@code servers:} (the project's app
 * server runs the containers; the edge server has the proxy and DNS), the config file's {@code
 * providers:}. A flag or variable means an engine reached from here as its URI says.
 *
 * <p>The edge's proxy switches by SRV record whenever the edge declares its PowerDNS API and DNS
 * listener ({@code engines.dns}, {@code engines.dnsListen}), with the recursor cache when it
 * declares one too ({@code dnsCache}, {@code dnsCacheListen}): the lossless switch needs no
 * hand-written proxy URI. A proxy URI that names {@code switch=} or {@code dns=} itself is kept
 * as written.
 */
final class FleetRouting {
  private FleetRouting() {}

  /** The container runtime for {@code project} (empty project: the only app server's). */
  static Optional<EngineTarget> runtime(Session session, Optional<String> project) {
    Optional<EngineTarget> explicit = explicit(session, "runtime", session.options().runtime,
        "CODEB_RUNTIME");
    if (explicit.isPresent()) {
      return explicit;
    }
    Topology topology = session.config().topology();
    if (!topology.withRole(Role.APP).isEmpty()) {
      Server app = project.map(topology::appServerOf)
          .orElseGet(() -> topology.single(Role.APP).orElse(null));
      if (app != null && app.engine("runtime").isPresent()) {
        return Optional.of(new EngineTarget("runtime", app.engine("runtime").get().toString(),
            Optional.of(app)));
      }
    }
    return configured(session, "runtime");
  }

  /**
   * The runtimes of every app server the project runs on ({@link Topology#appServersOf}), in
   * the config's order: one for a runtime given by flag or variable, or a project on one server.
   */
  static List<EngineTarget> runtimes(Session session, Optional<String> project) {
    Optional<EngineTarget> explicit = explicit(session, "runtime", session.options().runtime,
        "CODEB_RUNTIME");
    Topology topology = session.config().topology();
    if (explicit.isPresent() || project.isEmpty() || topology.withRole(Role.APP).isEmpty()) {
      return runtime(session, project).stream().toList();
    }
    List<Server> placed = topology.appServersOf(project.get());
    if (placed.size() == 1) {
      return runtime(session, project).stream().toList();
    }
    List<EngineTarget> targets = new java.util.ArrayList<>();
    for (Server app : placed) {
      URI uri = app.engine("runtime").orElseThrow(() -> new InvalidRequestException(
          "app server " + app.name() + " runs project " + project.get() + " but has no"
              + " engines.runtime in the config file"));
      targets.add(new EngineTarget("runtime", uri.toString(), Optional.of(app)));
    }
    return targets;
  }

  /** The reverse proxy: the edge server's, with the SRV switch when the edge has PowerDNS. */
  static Optional<EngineTarget> proxy(Session session) {
    Optional<EngineTarget> explicit = explicit(session, "proxy", session.options().proxy,
        "CODEB_PROXY");
    if (explicit.isPresent()) {
      return explicit;
    }
    Optional<Server> edge = edgeWith(session, "proxy");
    if (edge.isPresent()) {
      Server s = edge.get();
      return Optional.of(new EngineTarget("proxy", withSrvSwitch(s), edge));
    }
    return configured(session, "proxy");
  }

  /** The DNS provider: the edge server's PowerDNS. */
  static Optional<EngineTarget> dns(Session session) {
    Optional<EngineTarget> explicit = explicit(session, "dns", session.options().dns,
        "CODEB_DNS");
    if (explicit.isPresent()) {
      return explicit;
    }
    Optional<Server> edge = edgeWith(session, "dns");
    if (edge.isPresent()) {
      return Optional.of(new EngineTarget("dns", edge.get().engine("dns").get().toString(),
          edge));
    }
    return configured(session, "dns");
  }

  /**
   * The server whose engines hold {@code capability} among the edge servers; more than one is
   * ambiguous (bad input naming them).
   */
  private static Optional<Server> edgeWith(Session session, String capability) {
    List<Server> edges = session.config().topology().withRole(Role.EDGE).stream()
        .filter(s -> s.engine(capability).isPresent()).toList();
    if (edges.size() > 1) {
      throw new InvalidRequestException("config file: " + edges.size() + " edge servers declare"
          + " engines." + capability + " (" + edges.stream().map(Server::name).toList()
          + "): declare it on one edge server");
    }
    return edges.stream().findFirst();
  }

  /** The edge's proxy URI, with the SRV switch parameters it does not set itself. */
  static String withSrvSwitch(Server edge) {
    String proxy = edge.engine("proxy").orElseThrow().toString();
    URI uri = URI.create(proxy);
    String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
    boolean chosen = ("&" + query).contains("&switch=") || ("&" + query).contains("&dns=");
    Optional<URI> dns = edge.engine("dns");
    Optional<URI> dnsListen = edge.engine("dnsListen");
    if (chosen || dns.isEmpty() || dnsListen.isEmpty()) {
      return proxy;
    }
    StringBuilder extra = new StringBuilder("dns=").append(encode(dns.get().toString()))
        .append("&dns_resolver=").append(dnsListen.get().getRawAuthority());
    Optional<URI> cache = edge.engine("dnsCache");
    Optional<URI> cacheListen = edge.engine("dnsCacheListen");
    if (cache.isPresent() && cacheListen.isPresent()) {
      extra.append("&dns_cache=").append(encode(cache.get().toString()))
          .append("&dns_cache_resolver=").append(cacheListen.get().getRawAuthority());
    }
    return proxy + (query.isEmpty() ? "?" : "&") + extra;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static Optional<EngineTarget> explicit(Session session, String capability,
      String flag, String variable) {
    if (flag != null) {
      return Optional.of(EngineTarget.local(capability, flag));
    }
    String fromEnv = Session.nonBlank(session.variable(variable));
    return fromEnv == null ? Optional.empty()
        : Optional.of(EngineTarget.local(capability, fromEnv));
  }

  private static Optional<EngineTarget> configured(Session session, String capability) {
    return session.config().provider(capability).map(u -> EngineTarget.local(capability, u));
  }
}
