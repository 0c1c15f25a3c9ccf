package kr.codeb.cli.internal;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderRegistry;
import kr.codeb.db.DbContext;
import kr.codeb.db.DbKind;
import kr.codeb.db.Databases;
import kr.codeb.db.StorageServer;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.fleet.Role;
import kr.codeb.fleet.Server;
import kr.codeb.fleet.Topology;
import kr.codeb.model.Environment;
import kr.codeb.model.IpAddress;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.SsotStore;
import kr.codeb.runtime.ContainerRuntime;

/**
 * What a {@code we db} verb works on, opened in a safe order and closed together: the config
 * file's one storage server (with {@code ssh:} and {@code engines.runtime}) is checked first,
 * then its firewall provider when it has a firewall group, then the SSOT and the storage
 * engine. Missing pieces are bad input (exit 2) before anything is opened.
 */
final class DbSetup implements AutoCloseable {
  /** The variable naming the folder on the storage server for credentials and backups. */
  static final String DATA_DIR_VARIABLE = "CODEB_DB_DIR";

  private final OpenedResources opened = new OpenedResources();
  private Databases databases;
  private CommandAudit audit;
  private String storageName;
  private Optional<FirewallProvider> firewall = Optional.empty();
  private Server storage;

  private DbSetup() {}

  /** For the project's databases ({@code null}: every project's, as {@code list} shows). */
  static DbSetup open(Session session, ProjectName project) {
    return open(session, project, true);
  }

  /**
   * With {@code firewallRules} false, {@link Databases} makes no firewall rules itself (the
   * caller does, as {@code we init}'s firewall step), though the provider is still opened.
   */
  static DbSetup open(Session session, ProjectName project, boolean firewallRules) {
    Topology topology = session.config().topology();
    Server storage = checkStorage(session);
    URI runtimeUri = storage.engine("runtime").orElseThrow();
    String cli = engineCli(runtimeUri);
    String dataDir = Optional.ofNullable(session.variable(DATA_DIR_VARIABLE))
        .orElse(StorageServer.DEFAULT_DATA_DIR);
    List<IpAddress> sources = !firewallRules || project == null ? List.of()
        : firewallSources(topology, project);
    ProviderRegistry registry = session.registry();
    DbSetup setup = new DbSetup();
    setup.audit = setup.track(new CommandAudit(session));
    setup.storageName = storage.name();
    try {
      Optional<FirewallProvider> firewall = firewallProvider(session, storage)
          .map(f -> setup.audit.wrap().firewall(setup.track(f)));
      SsotStore ssot = setup.track(session.openSsot());
      EngineTarget target = new EngineTarget("runtime", runtimeUri.toString(),
          Optional.of(storage));
      ContainerRuntime runtime = setup.audit.wrap().runtime(setup.track(FleetLinks
          .registryFor(registry, target).containerRuntime(target.uri())));
      StorageServer server = new StorageServer(storage, runtime,
          FleetLinks.of(registry, storage), cli, dataDir);
      setup.firewall = firewall;
      setup.storage = storage;
      setup.databases = new Databases(new DbContext(ssot, server, firewall, sources,
          DbContext.STORAGE_RANGE));
      return setup;
    } catch (RuntimeException e) {
      try {
        setup.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * The config file's one storage server, checked without I/O: it has {@code ssh:}, an {@code
   * engines.runtime} of Docker or Podman, and a firewall provider when it has a firewall group.
   * Each missing piece is bad input (exit 2).
   */
  static Server checkStorage(Session session) {
    Server storage = storageServer(session.config().topology());
    if (storage.ssh().isEmpty()) {
      throw new InvalidRequestException("storage server " + storage.name() + " has no ssh: in"
          + " the config file; we db reaches its databases through SSH tunnels");
    }
    URI runtimeUri = storage.engine("runtime").orElseThrow(() -> new InvalidRequestException(
        "storage server " + storage.name() + " has no engines.runtime in the config file"));
    engineCli(runtimeUri);
    firewallUri(session, storage);
    return storage;
  }

  /**
   * The storage server's firewall provider (not audited: the caller wraps it and closes it),
   * when the server has a firewall group; opening it does no I/O.
   */
  static Optional<FirewallProvider> firewallProvider(Session session, Server storage) {
    return firewallUri(session, storage).map(uri -> session.registry().firewallProvider(uri));
  }

  private static Optional<String> firewallUri(Session session, Server storage) {
    if (storage.firewallGroup().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(session.providers().firewall().filter(u -> !u.isBlank()).orElseThrow(() ->
        new InvalidRequestException("storage server " + storage.name() + " has firewall"
            + " group " + storage.firewallGroup().get() + " but no firewall provider is"
            + " given: pass --firewall URI (e.g. --firewall vultr://), or set"
            + " CODEB_FIREWALL, or providers.firewall in the config file")));
  }

  Databases databases() {
    return databases;
  }

  /**
   * Records a change to a database (its user, password, data) in the audit log; what the
   * database's container, port and firewall rule went through is recorded by the providers.
   * Target {@code db:<storage server>/<project>-<env>-<kind>}; {@code changes} never holds a
   * secret (the operations' change lines do not).
   */
  void record(String action, ProjectName project, Environment env, DbKind kind,
      String state, List<String> changes) {
    if (changes.isEmpty()) {
      return;
    }
    com.fasterxml.jackson.databind.node.ObjectNode after =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    after.put("state", state);
    changes.forEach(after.putArray("changes")::add);
    audit.wrap().record("db", "db:" + storageName + "/" + project.value() + "-" + env.name()
        + "-" + kind.id(), action, Optional.of(project), null, after.toString());
  }

  /** The storage server's firewall provider, when the server has a firewall group. */
  Optional<FirewallProvider> firewall() {
    return firewall;
  }

  Server storage() {
    return storage;
  }

  /** The one server with the storage role. */
  static Server storageServer(Topology topology) {
    List<Server> found = topology.withRole(Role.STORAGE);
    if (found.size() != 1) {
      throw new InvalidRequestException((found.isEmpty() ? "the config file names no storage"
          + " server: give one server roles: [storage] (with ssh: and engines.runtime)"
          : "the config file names " + found.size() + " storage servers "
              + found.stream().map(Server::name).toList() + "; we db needs exactly one"));
    }
    return found.get(0);
  }

  /**
   * The engine's command line on the server, from its runtime URI: {@code docker://} and
   * {@code docker+unix:///run/x.sock} give {@code docker} and {@code docker --host unix://...},
   * Podman's give {@code podman} and {@code podman --url unix://...}.
   */
  static String engineCli(URI uri) {
    String scheme = String.valueOf(uri.getScheme());
    String cli = scheme.startsWith("podman") ? "podman" : scheme.startsWith("docker") ? "docker"
        : null;
    if (cli == null) {
      throw new InvalidRequestException("the storage server's engines.runtime " + uri + " is"
          + " neither docker nor podman");
    }
    if (scheme.endsWith("+unix") && uri.getPath() != null && !uri.getPath().isEmpty()) {
      return cli + (cli.equals("podman") ? " --url" : " --host") + " unix://" + uri.getPath();
    }
    return cli;
  }

  private <T extends AutoCloseable> T track(T resource) {
    return opened.track(resource);
  }

  @Override
  public void close() {
    opened.close();
  }

  /**
   * Where the storage firewall lets a project's databases be reached from: the private address
   * of every app server the project runs on; none when the config file has no app server.
   */
  static List<IpAddress> firewallSources(Topology topology, ProjectName project) {
    return topology.withRole(Role.APP).isEmpty() ? List.of()
        : topology.appServersOf(project.value()).stream()
            .map(kr.codeb.fleet.Server::privateAddress).distinct().toList();
  }
}
