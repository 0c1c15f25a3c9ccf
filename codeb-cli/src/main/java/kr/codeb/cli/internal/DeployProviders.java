package kr.codeb.cli.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderRegistry;
import kr.codeb.deploy.AppServer;
import kr.codeb.deploy.DeployContext;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.Deployments;
import kr.codeb.deploy.ReleaseStore;
import kr.codeb.fleet.Role;
import kr.codeb.fleet.Server;
import kr.codeb.model.Environment;
import kr.codeb.model.IpAddress;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.SsotStore;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.runtime.ContainerRuntime;

/**
 * The providers one deploy verb works on, opened in a safe order and closed together: first
 * the URIs are resolved (a missing runtime or proxy is bad input, exit 2, before anything is
 * opened), then the SSOT is opened and the environment checked against it, then the release
 * store, the runtime and the proxy.
 */
final class DeployProviders implements AutoCloseable {
  private final OpenedResources opened = new OpenedResources();
  private CommandAudit audit;
  private SsotStore ssot;
  private ReleaseStore releases;
  private ContainerRuntime runtime;
  private ReverseProxy proxy;
  private EngineTarget runtimeTarget;
  private IpAddress publishAddress = Server.LOOPBACK;
  private IpAddress upstreamAddress = Server.LOOPBACK;
  /** Every app server of a project on several, in the config's order; empty for one. */
  private final List<AppServer> servers = new ArrayList<>();

  private DeployProviders() {}

  /**
   * The SSOT, the release store, the project's runtime and the proxy; the environment is checked
   * first.
   */
  static DeployProviders forDeploy(Session session, DeployKey key) {
    return open(session, key.environment(), Optional.of(key.project().value()), true, true);
  }

  /** The SSOT and the release store only (locks need no engine). */
  static DeployProviders forLocks(Session session, Environment env) {
    return open(session, env, Optional.empty(), false, false);
  }

  /** The proxy only. */
  static DeployProviders forRoutes(Session session) {
    return open(session, null, Optional.empty(), false, true);
  }

  private static DeployProviders open(Session session, Environment env, Optional<String> project,
      boolean needRuntime, boolean needProxy) {
    ProviderUris uris = session.providers();
    List<EngineTarget> runtimeTargets = needRuntime ? FleetRouting.runtimes(session, project)
        : List.of();
    EngineTarget runtimeTarget = needRuntime ? required(runtimeTargets.stream().findFirst(),
        "container runtime", "--runtime", "CODEB_RUNTIME", "runtime", "docker://") : null;
    EngineTarget proxyTarget = needProxy ? requireProxy(session) : null;
    ProviderRegistry registry = session.registry();
    DeployProviders p = new DeployProviders();
    p.audit = p.track(new CommandAudit(session));
    try {
      if (env != null) {
        p.ssot = p.open(session, "ssot", uris.ssot(), SsotStore.class,
            () -> registry.ssotStore(uris.ssot()));
        PortOperations.requireProjectEnvironment(p.ssot.read(), env);
        p.releases = p.track(registry.releaseStore(uris.ssot()));
      }
      if (runtimeTarget != null) {
        p.runtimeTarget = runtimeTarget;
        p.runtime = p.audit.wrap().runtime(p.open(session, "runtime", runtimeTarget.poolKey(),
            ContainerRuntime.class, () -> FleetLinks.registryFor(registry, runtimeTarget)
                .containerRuntime(runtimeTarget.uri())));
      }
      if (proxyTarget != null) {
        p.proxy = p.audit.wrap().proxy(p.open(session, "proxy", proxyTarget.poolKey(),
            ReverseProxy.class, () -> FleetLinks.registryFor(registry, proxyTarget)
                .reverseProxy(proxyTarget.uri())));
      }
      appServer(session, runtimeTarget, project).ifPresent(app -> {
        p.publishAddress = app.publishAddress();
        p.upstreamAddress = upstreamOf(app);
      });
      if (runtimeTargets.size() > 1) {
        p.servers.add(new AppServer(runtimeTarget.server().orElseThrow().name(), p.runtime,
            p.publishAddress, p.upstreamAddress));
        for (EngineTarget other : runtimeTargets.subList(1, runtimeTargets.size())) {
          Server app = other.server().orElseThrow();
          ContainerRuntime engine = p.audit.wrap().runtime(p.open(session, "runtime",
              other.poolKey(), ContainerRuntime.class, () -> FleetLinks.registryFor(registry,
                  other).containerRuntime(other.uri())));
          p.servers.add(new AppServer(app.name(), engine, app.publishAddress(),
              upstreamOf(app)));
        }
      }
      return p;
    } catch (RuntimeException e) {
      p.closeQuietly(e);
      throw e;
    }
  }

  /** Where the edge dials an app server: loopback when the edge runs on it. */
  private static IpAddress upstreamOf(Server app) {
    return app.has(Role.EDGE) ? Server.LOOPBACK : app.privateAddress();
  }

  /**
   * The app server whose addresses the deploy uses: the runtime's server, else (a runtime named
   * by flag, variable or {@code providers:}) the only app server of the config file, if any.
   */
  private static Optional<Server> appServer(Session session, EngineTarget runtime,
      Optional<String> project) {
    if (runtime != null && runtime.server().isPresent()) {
      return runtime.server();
    }
    return session.config().topology().single(Role.APP);
  }

  /** The reverse proxy's engine, checked without I/O (none: bad input naming the ways). */
  static EngineTarget requireProxy(Session session) {
    return required(FleetRouting.proxy(session), "reverse proxy", "--proxy", "CODEB_PROXY",
        "proxy", "caddy+http://127.0.0.1:2019");
  }

  private static EngineTarget required(Optional<EngineTarget> target, String what, String flag,
      String variable, String configKey, String example) {
    return target.filter(t -> !t.uri().isBlank()).orElseThrow(() -> new InvalidRequestException(
        "no " + what + " given: pass " + flag + " URI (e.g. " + flag + " " + example
            + "), or set " + variable + ", or engines." + configKey + " of a server (or"
            + " providers." + configKey + ") in the config file"));
  }

  /** The server the runtime runs on, when the config file's servers chose it. */
  Optional<Server> runtimeServer() {
    return runtimeTarget == null ? Optional.empty() : runtimeTarget.server();
  }

  /**
   * A provider for this command: from the daemon's pool when the session has one (given back
   * when this closes), else a new one that this closes.
   */
  private <T extends AutoCloseable> T open(Session session, String kind, String uri,
      Class<T> type, Supplier<T> opener) {
    ProviderPool.Scope pool = session.pool();
    if (pool == null) {
      return track(opener.get());
    }
    return track(pool.lease(kind, uri, type, opener)).get();
  }

  private <T extends AutoCloseable> T track(T resource) {
    return opened.track(resource);
  }

  /** The audit of this command's changes (for the providers opened beside these). */
  CommandAudit audit() {
    return audit;
  }

  SsotStore ssot() {
    return ssot;
  }

  ReleaseStore releases() {
    return releases;
  }

  ReverseProxy proxy() {
    return proxy;
  }

  /**
   * The deploy context: the project's one app server, or every server of a project placed on
   * several (the first is the runtime's).
   */
  DeployContext context() {
    if (servers.size() > 1) {
      return new DeployContext(ssot, proxy, releases, servers);
    }
    Optional<Server> app = runtimeServer();
    String name = app.map(Server::name).orElse(AppServer.DEFAULT_NAME);
    return new DeployContext(ssot, proxy, releases, List.of(new AppServer(name, runtime,
        publishAddress, upstreamAddress)));
  }

  /**
   * The context of one app server: {@code server} (a name the project runs on), else the only
   * one. A project on several app servers needs the name.
   *
   * @throws kr.codeb.InvalidRequestException if the name is not one of the project's servers,
   *     or it is missing and the project runs on several
   */
  DeployContext contextOn(Optional<String> server) {
    DeployContext all = context();
    List<String> names = serverNames();
    if (server.isEmpty()) {
      if (all.severalServers()) {
        throw new InvalidRequestException("the project runs on app servers " + names
            + ": pass --server NAME (one of them)");
      }
      return all;
    }
    return all.on(all.servers().stream().filter(s -> s.name().equals(server.get())).findFirst()
        .orElseThrow(() -> new InvalidRequestException("--server " + server.get() + " is not an"
            + " app server of the project; it runs on " + names)));
  }

  /** The app servers' names, in the context's order. */
  List<String> serverNames() {
    return context().servers().stream().map(AppServer::name).toList();
  }

  Deployments deployments() {
    return new Deployments(context());
  }

  @Override
  public void close() {
    opened.close();
  }

  private void closeQuietly(RuntimeException cause) {
    opened.closeAfter(cause);
  }
}
