package kr.codeb.cli.internal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import kr.codeb.ProviderRegistry;
import kr.codeb.deploy.ReleaseStore;
import kr.codeb.dns.DnsProvider;
import kr.codeb.doctor.DoctorContext;
import kr.codeb.doctor.ServerEngine;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.fleet.Role;
import kr.codeb.fleet.Server;
import kr.codeb.fleet.Topology;
import kr.codeb.ports.SsotStore;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.runtime.ContainerRuntime;

/**
 * Everything {@code we doctor} compares, opened together and closed together: the SSOT and its
 * release history, the engine of every app and storage server (or the one engine named by
 * {@code --runtime} / {@code CODEB_RUNTIME}), the edge's proxy and DNS, and the firewall.
 * A part that is not configured is left out, with a note saying so.
 */
final class DoctorProviders implements AutoCloseable {
  private final OpenedResources opened = new OpenedResources();
  private final List<String> notes = new ArrayList<>();
  private final DoctorContext context;
  private CommandAudit audit;

  DoctorProviders(Session session) {
    try {
      this.audit = track(new CommandAudit(session));
      this.context = open(session);
    } catch (RuntimeException e) {
      closeQuietly(e);
      throw e;
    }
  }

  DoctorContext context() {
    return context;
  }

  /** What is not compared because nothing names it. */
  List<String> notes() {
    return notes;
  }

  private DoctorContext open(Session session) {
    ProviderRegistry registry = session.registry();
    ProviderUris uris = session.providers();
    SsotStore ssot = track(session.openSsot());
    Optional<ReleaseStore> releases = optional("release history", () -> registry
        .releaseStore(uris.ssot()));
    Topology topology = session.config().topology();
    List<ServerEngine> engines = engines(session, registry, topology);
    Optional<ReverseProxy> proxy = FleetRouting.proxy(session).filter(t -> !t.uri().isBlank())
        .map(t -> audit.wrap().proxy(track(FleetLinks.registryFor(registry, t)
            .reverseProxy(t.uri()))));
    Optional<DnsProvider> dns = FleetRouting.dns(session).filter(t -> !t.uri().isBlank())
        .map(t -> audit.wrap().dns(track(FleetLinks.registryFor(registry, t)
            .dnsProvider(t.uri()))));
    Optional<FirewallProvider> firewall = uris.firewall().filter(u -> !u.isBlank())
        .map(u -> audit.wrap().firewall(track(registry.firewallProvider(u))));
    return new DoctorContext(ssot, releases, topology, engines, proxy, dns, firewall);
  }

  /**
   * The engines: the one named by flag or variable (on the only app server's addresses, if
   * the config has one), else every app or storage server's {@code engines.runtime}, else the
   * config's {@code providers.runtime}.
   */
  private List<ServerEngine> engines(Session session, ProviderRegistry registry,
      Topology topology) {
    List<ServerEngine> engines = new ArrayList<>();
    boolean explicit = session.options().runtime != null
        || Session.nonBlank(session.variable("CODEB_RUNTIME")) != null;
    List<Server> servers = topology.servers().stream()
        .filter(s -> (s.has(Role.APP) || s.has(Role.STORAGE)) && s.engine("runtime").isPresent())
        .toList();
    if (!explicit && !servers.isEmpty()) {
      for (Server s : servers) {
        EngineTarget target = new EngineTarget("runtime", s.engine("runtime").get().toString(),
            Optional.of(s));
        ContainerRuntime runtime = audit.wrap().runtime(track(FleetLinks.registryFor(registry,
            target).containerRuntime(target.uri())));
        engines.add(new ServerEngine(s.name(), s.roles(), upstream(s), runtime));
      }
      return engines;
    }
    Optional<String> uri = session.providers().runtime().filter(u -> !u.isBlank());
    if (uri.isEmpty()) {
      notes.add("containers not compared: no container runtime given (--runtime,"
          + " CODEB_RUNTIME, or engines.runtime of the servers in the config file)");
      return engines;
    }
    Optional<Server> app = topology.single(Role.APP);
    engines.add(new ServerEngine(app.map(Server::name).orElse("local"),
        app.map(Server::roles).orElse(EnumSet.of(Role.APP)),
        app.map(DoctorProviders::upstream).orElse(Server.LOOPBACK),
        audit.wrap().runtime(track(registry.containerRuntime(uri.get())))));
    return engines;
  }

  /** Where the edge dials the server's ports: loopback on the edge itself, else its private address. */
  private static kr.codeb.model.IpAddress upstream(Server s) {
    return s.has(Role.EDGE) ? Server.LOOPBACK : s.privateAddress();
  }

  private <T extends AutoCloseable> Optional<T> optional(String what, Supplier<T> opener) {
    try {
      return Optional.of(track(opener.get()));
    } catch (RuntimeException e) {
      notes.add(what + " not read (" + e.getMessage() + "): the routes say which slot is live");
      return Optional.empty();
    }
  }

  private <T extends AutoCloseable> T track(T resource) {
    return opened.track(resource);
  }

  @Override
  public void close() {
    opened.close();
  }

  private void closeQuietly(RuntimeException cause) {
    opened.closeAfter(cause);
  }
}
