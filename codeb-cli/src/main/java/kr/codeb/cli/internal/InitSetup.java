package kr.codeb.cli.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import kr.codeb.InvalidRequestException;
import kr.codeb.db.DbKind;
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
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.SsotStore;

/**
 * What {@code we init} and {@code we destroy} work on, opened in a safe order and closed
 * together: the journal's folder (beside a file SSOT) and the edge address are checked first,
 * then the proxy (and, with an image, the app engine), the SSOT, DNS, the storage server. The
 * engines are found as the other verbs find them ({@link FleetRouting}).
 */
final class InitSetup implements AutoCloseable {
  private final OpenedResources opened = new OpenedResources();
  private InitPlan plan;

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
    InitSetup setup = new InitSetup();
    try {
      DeployKey key = request.key();
      DeployProviders deploy = setup.opened.track(request.image().isPresent()
          ? DeployProviders.forDeploy(session, key) : DeployProviders.forRoutes(session));
      SsotStore ssot = deploy.ssot() != null ? deploy.ssot()
          : setup.opened.track(session.openSsot());
      PortOperations.requireProjectEnvironment(ssot.read(), request.environment());
      CommandAudit audit = deploy.audit();
      DnsProvider dns = audit.wrap().dns(setup.opened.track(FleetLinks.registryFor(
          session.registry(), dnsTarget).dnsProvider(dnsTarget.uri())));
      InitSystems.Builder systems = InitSystems.builder(ssot, audit.wrap().envFiles(
          new ProjectEnvFiles(session).primaryStore(request.project())), dns, deploy.proxy())
          .dnsAddresses(addresses).upstreamAddress(upstream(topology, request))
          .runnerLabels(runnerLabels(topology, request));
      if (request.image().isPresent()) {
        systems.deploy(deploy.context());
      }
      List<IpAddress> sources = topology.withRole(Role.APP).isEmpty() ? List.of()
          : topology.appServersOf(request.project().value()).stream()
              .map(Server::privateAddress).distinct().toList();
      if (!request.with().isEmpty()) {
        DbSetup db = setup.opened.track(DbSetup.open(session, request.project(), false));
        systems.databases(ProjectDatabases.of(db.databases(), request.project(),
            request.environment(), options.dbVersion(), options.dbImage()));
        if (db.storage().firewallGroup().isPresent() && db.firewall().isPresent()) {
          systems.storageFirewall(db.firewall().get(), db.storage().firewallGroup().get(),
              sources);
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
