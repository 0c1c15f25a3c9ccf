package kr.codeb.cli.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import kr.codeb.InvalidRequestException;
import kr.codeb.db.DbKind;
import kr.codeb.deploy.DeployContext;
import kr.codeb.deploy.DeployKey;
import kr.codeb.dns.DnsProvider;
import kr.codeb.fleet.Role;
import kr.codeb.fleet.Server;
import kr.codeb.fleet.Topology;
import kr.codeb.init.InitJournal;
import kr.codeb.init.InitPlan;
import kr.codeb.init.InitRequest;
import kr.codeb.init.InitSteps;
import kr.codeb.init.InitSystems;
import kr.codeb.init.ProjectDatabases;
import kr.codeb.init.TlsEndpoint;
import kr.codeb.model.IpAddress;
import kr.codeb.env.EnvFileStore;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.ports.SsotStore;
import kr.codeb.proxy.ReverseProxy;

/**
 * What {@code we init} and {@code we destroy} work on, closed together. The journal's folder
 * (beside a file SSOT), the edge address and which engines serve each step are checked first,
 * without I/O (bad input, exit 2); each system (the SSOT, the storage server, the app server's
 * env file, the firewall group, DNS, the proxy) is opened by the first step that uses it
 * ({@link LazyOpen}), so a system that is down fails that step and its message names it. With
 * an image, the first deploy's engines are opened at once. The engines are found as the other
 * verbs find them ({@link FleetRouting}).
 */
final class InitSetup implements AutoCloseable {
  private final OpenedResources opened = new OpenedResources();
  private InitPlan plan;
  private AppServerPorts appPorts;

  private InitSetup() {}

  /** The extra knobs of {@code we init} beyond the request. */
  record Options(Optional<String> dbVersion, Optional<String> dbImage, List<IpAddress> ips,
      Optional<TlsEndpoint> tls) {
    static final Options NONE = new Options(Optional.empty(), Optional.empty(), List.of(),
        Optional.empty());
  }

  InitPlan plan() {
    return plan;
  }

  /** The journal of the SSOT the session names (it must be a file: the journal goes beside). */
  static InitJournal journal(Session session) {
    String ssot = session.providers().ssot();
    Path file;
    if (ssot.startsWith("file:")) {
      file = Path.of(URI.create(ssot));
    } else if (!ssot.matches("[a-z][a-z0-9+.-]*:.*")) {
      file = session.path(Path.of(ssot));
    } else {
      throw new InvalidRequestException("we init keeps its journal beside the SSOT file, but the"
          + " SSOT is " + ssot.replaceFirst("\\?.*", "") + ": run it with a file SSOT (--ssot"
          + " /opt/codeb/registry/ssot.json)");
    }
    Path parent = file.toAbsolutePath().getParent();
    return InitJournal.inFolder(parent);
  }

  static InitSetup open(Session session, InitRequest request, Options options) {
    return open(session, request, options, false);
  }

  /** For {@code we destroy}: no address to point records at is needed (none are written). */
  static InitSetup forDestroy(Session session, InitRequest recorded) {
    return open(session, recorded, Options.NONE, true);
  }

  private static InitSetup open(Session session, InitRequest request, Options options,
      boolean destroying) {
    InitJournal journal = journal(session);
    Topology topology = session.config().topology();
    List<IpAddress> addresses = !options.ips().isEmpty() ? options.ips()
        : destroying && topology.withRole(Role.EDGE).size() != 1 ? List.of(Server.LOOPBACK)
        : edgeAddress(topology);
    EngineTarget dnsTarget = FleetRouting.dns(session).filter(t -> !t.uri().isBlank())
        .orElseThrow(() -> new InvalidRequestException("no DNS provider given: pass --dns URI"
            + " (e.g. --dns powerdns+http://127.0.0.1:8081?server=localhost), or set CODEB_DNS,"
            + " or engines.dns of the edge server in the config file"));
    // Checked now, without I/O: a missing proxy or storage server is bad input (exit 2).
    DeployProviders.requireProxy(session);
    Optional<Server> storage = request.with().isEmpty() ? Optional.empty()
        : Optional.of(DbSetup.checkStorage(session));
    openLinksAhead(session, request, storage, dnsTarget);
    InitSetup setup = new InitSetup();
    try {
      DeployKey key = request.key();
      // Every system is opened by the first step that uses it, so a system that is down fails
      // that step, named, instead of the setup before step 1; so are the first deploy's
      // engines (only the config is checked now: bad input writes nothing).
      CommandAudit audit = setup.opened.track(new CommandAudit(session));
      SsotStore ssot = setup.lazy(SsotStore.class, "the SSOT", session::openSsot);
      // closed with the DeployProviders that opened it
      ReverseProxy proxy = LazyOpen.of(ReverseProxy.class, "the reverse proxy",
          () -> setup.opened.track(DeployProviders.forRoutes(session)).proxy());
      if (request.image().isPresent()) {
        requireRuntime(session, request);
      }
      DnsProvider dns = audit.wrap().dns(setup.lazy(DnsProvider.class, "the DNS provider",
          () -> FleetLinks.registryFor(session.registry(), dnsTarget)
              .dnsProvider(dnsTarget.uri())));
      EnvFileStore envFiles = LazyOpen.of(EnvFileStore.class, "the project's env file",
          () -> new ProjectEnvFiles(session).primaryStore(request.project()));
      InitSystems.Builder systems = InitSystems.builder(ssot, audit.wrap().envFiles(envFiles),
          dns, proxy)
          .dnsAddresses(addresses).upstreamAddress(upstream(topology, request))
          .runnerLabels(runnerLabels(topology, request));
      if (request.image().isPresent()) {
        systems.deployOpenedBy(setup.deployOpener(session, key));
      }
      setup.appPorts = new AppServerPorts(session, request.project().value(), setup.opened);
      systems.appPorts(setup.appPorts);
      List<IpAddress> sources = topology.withRole(Role.APP).isEmpty() ? List.of()
          : topology.appServersOf(request.project().value()).stream()
              .map(Server::privateAddress).distinct().toList();
      if (storage.isPresent()) {
        // The databases step opens the storage server (SSH, its engine); the firewall step
        // alone opens the firewall provider: the databases step never reads the group.
        systems.databases(LazyOpen.of(ProjectDatabases.class, "the storage server's databases",
            () -> ProjectDatabases.of(setup.opened.track(DbSetup.open(session,
                request.project(), false)).databases(), request.project(),
                request.environment(), options.dbVersion(), options.dbImage())));
        if (storage.get().firewallGroup().isPresent()) {
          FirewallProvider firewall = audit.wrap().firewall(setup.lazy(FirewallProvider.class,
              "the firewall provider", () -> DbSetup.firewallProvider(session, storage.get())
                  .orElseThrow()));
          systems.storageFirewall(firewall, storage.get().firewallGroup().get(), sources);
        }
      }
      options.tls().or(() -> topology.single(Role.EDGE)
          .map(e -> new TlsEndpoint(e.publicAddress().value(), 443))).ifPresent(systems::tls);
      setup.plan = InitPlan.of(request, InitSteps.standard(request, systems.build(),
          options.dbVersion()), journal);
      return setup;
    } catch (RuntimeException e) {
      setup.opened.closeAfter(e);
      throw e;
    }
  }

  /**
   * Logs in to every server the steps will use (the storage server, the project's app servers,
   * the edge), all at once in the background, instead of one after another as each step first
   * needs its server. A server that cannot be reached fails the step that uses it, as before.
   */
  private static void openLinksAhead(Session session, InitRequest request,
      Optional<Server> storage, EngineTarget dnsTarget) {
    Topology topology = session.config().topology();
    List<Server> servers = new java.util.ArrayList<>();
    storage.ifPresent(servers::add);
    if (!topology.withRole(Role.APP).isEmpty()) {
      servers.addAll(topology.appServersOf(request.project().value()));
    }
    dnsTarget.server().filter(s -> dnsTarget.remote()).ifPresent(servers::add);
    FleetRouting.proxy(session).filter(EngineTarget::remote).flatMap(EngineTarget::server)
        .ifPresent(servers::add);
    FleetLinks.openAhead(session.registry(), servers);
  }

  /** With {@code --image}: the app server's engine must be named, or nothing is done. */
  private static void requireRuntime(Session session, InitRequest request) {
    if (FleetRouting.runtimes(session, Optional.of(request.project().value())).isEmpty()) {
      throw new InvalidRequestException("--image needs the app server's container engine (a"
          + " server with roles: [app] and engines.runtime, or --runtime)");
    }
  }

  /** Opens the first deploy's engines once, when the deploy step first needs them. */
  private Supplier<DeployContext> deployOpener(Session session, DeployKey key) {
    return new Supplier<>() {
      private DeployContext context;

      @Override
      public synchronized DeployContext get() {
        if (context == null) {
          context = opened.track(DeployProviders.forDeploy(session, key)).context();
        }
        return context;
      }
    };
  }

  /**
   * Before an apply: starts reading the app servers' published ports in the background (step
   * 1's engine call), so that engine's client and SSH channel are set up while the JVM, the set-up
   * and the plan of step 1 run; step 1 takes the ports read ahead, or their failure.
   */
  void warmAhead() {
    if (appPorts != null) {
      appPorts.readAhead();
    }
  }

  /** A stand-in opened on first use, closed with this setup. */
  private <T extends AutoCloseable> T lazy(Class<T> type, String what, Supplier<T> opener) {
    return opened.track(LazyOpen.of(type, what, opener));
  }

  /**
   * For {@code we destroy}: the request as the journal recorded it (domain, databases, image),
   * or empty when there is no journal.
   */
  static Optional<InitRequest> recorded(Session session, DeployKey key) {
    return journal(session).read(key).map(j -> {
      Set<DbKind> kinds = EnumSet.noneOf(DbKind.class);
      for (String item : j.created("databases")) {
        kinds.add(DbKind.parse(item.substring(item.indexOf(':') + 1)));
      }
      Optional<String> image = j.created("deploy").stream()
          .filter(c -> c.startsWith("containers:")).map(c -> c.substring(11)).findFirst();
      return new InitRequest(key.project(), key.environment(), j.domain(), kinds, image,
          Optional.empty(), InitRequest.DEFAULT_TLS_DEADLINE);
    });
  }

  private static List<IpAddress> edgeAddress(Topology topology) {
    List<Server> edges = topology.withRole(Role.EDGE);
    if (edges.size() != 1) {
      throw new InvalidRequestException((edges.isEmpty() ? "the config file names no edge"
          : "the config file names " + edges.size() + " edge servers") + ": give the address"
          + " the domain points at with --ip ADDRESS");
    }
    return List.of(edges.get(0).publicAddress());
  }

  private static IpAddress upstream(Topology topology, InitRequest request) {
    if (topology.withRole(Role.APP).isEmpty()) {
      return Server.LOOPBACK;
    }
    Server app = topology.appServerOf(request.project().value());
    return app.has(Role.EDGE) ? Server.LOOPBACK : app.privateAddress();
  }

  private static List<String> runnerLabels(Topology topology, InitRequest request) {
    return topology.withRole(Role.APP).isEmpty() ? List.of()
        : List.of(topology.appServerOf(request.project().value()).name());
  }

  @Override
  public void close() {
    opened.close();
  }
}
