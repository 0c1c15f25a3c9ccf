package kr.codeb.db;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.Secret;
import kr.codeb.audit.AuditContext;
import kr.codeb.db.internal.Containers;
import kr.codeb.db.internal.Credentials;
import kr.codeb.db.internal.DbFirewall;
import kr.codeb.db.internal.Names;
import kr.codeb.db.internal.Passwords;
import kr.codeb.db.internal.PortHolders;
import kr.codeb.db.internal.PostgresAccess;
import kr.codeb.db.internal.RedisAccess;
import kr.codeb.db.internal.Volumes;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.RegistryEdit;
import kr.codeb.ports.ServicePort;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerSpec;

/**
 * The projects' Postgres and Redis on the storage server: one container per project,
 * environment and kind, named like the slots ({@code shop-production-postgres}), with a named
 * data volume, a port from the SSOT's {@code storage} range recorded in the project's entry,
 * generated passwords kept on the storage server only, and a firewall rule from the project's
 * app server. Every operation is idempotent; readiness is a real login through an SSH tunnel.
 */
public final class Databases {
  static final Duration READY = Duration.ofSeconds(120);
  private final DbContext context;

  public Databases(DbContext context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  /**
   * Makes the database run and accept its credentials. Bad input (no {@code storage} range, a
   * project the SSOT does not have) fails before anything is written. The result's changes are
   * empty when everything was already in place.
   */
  public DbResult create(DbRequest request) {
    return finish(start(request));
  }

  /**
   * Creates several databases as {@link #create(DbRequest)} does each, in less time: each one's
   * port (in the given order), credentials and container are made first, then all of them are
   * waited for at once (a new Postgres initialises its data folder for seconds; a Redis started
   * meanwhile is ready by then), then each Postgres gets its user and database. Results are in
   * the given order. When some fail, the first failure in that order is thrown once all have
   * ended, the others' failures added as suppressed; what was made stays, and a second call
   * adopts it (every step is idempotent).
   */
  public List<DbResult> create(List<DbRequest> requests) {
    List<Started> started = new ArrayList<>();
    for (DbRequest request : requests) {
      started.add(start(request));
    }
    if (started.size() == 1) {
      return List.of(finish(started.get(0)));
    }
    // each wait on a daemon thread of its own, with the caller's audit context
    AuditContext caller = AuditContext.current();
    Executor ownThread = task -> {
      Thread t = new Thread(task, "codeb-db-ready");
      t.setDaemon(true);
      t.start();
    };
    List<CompletableFuture<DbResult>> waits = new ArrayList<>();
    for (Started s : started) {
      waits.add(CompletableFuture.supplyAsync(() -> AuditContext.callAs(caller,
          () -> finish(s)), ownThread));
    }
    return joinInOrder(waits);
  }

  private static List<DbResult> joinInOrder(List<CompletableFuture<DbResult>> waits) {
    List<DbResult> results = new ArrayList<>();
    RuntimeException first = null;
    for (CompletableFuture<DbResult> wait : waits) {
      try {
        results.add(wait.join());
      } catch (CompletionException e) {
        RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
        if (first == null) {
          first = cause;
        } else {
          first.addSuppressed(cause);
        }
      }
    }
    if (first != null) {
      throw first;
    }
    return results;
  }

  /** A database whose port, credentials and container exist; not yet known to be ready. */
  private record Started(DbRequest request, Names names, int port, Credentials credentials,
      String image, List<String> changes) {}

  private Started start(DbRequest request) {
    Names names = new Names(request.project(), request.environment(), request.kind());
    List<String> changes = new ArrayList<>();
    StorageServer storage = context.storage();
    // The engine's ports are read only when they matter: for a new port (allocation skips
    // them) and before a container is started (it must not land on another's port).
    PortHolders holders = null;
    ServicePort port;
    Optional<ServicePort> held = servicePort(names);
    if (held.isPresent()) {
      port = held.get();
    } else {
      holders = PortHolders.of(storage.runtime());
      port = context.ssot().apply(new RegistryEdit.ClaimServicePort(request.project(),
          request.environment(), names.service(), context.range(), holders.ports()));
    }
    if (port.created()) {
      changes.add("took port " + port.port() + " from the SSOT's " + context.range() + " range");
    }
    Credentials credentials = Credentials.load(storage, names).orElse(null);
    if (credentials == null) {
      credentials = new Credentials(request.kind() == DbKind.POSTGRES
          ? Optional.of(Passwords.generate()) : Optional.empty(), Passwords.generate());
      credentials.store(storage, names);
      changes.add("generated the credentials");
    }
    String address = address();
    ContainerSpec spec = Containers.spec(request, names, address, port.port(), credentials);
    Optional<ContainerInfo> now = storage.runtime().inspect(new ContainerId(spec.name()));
    if (Containers.needsRun(now, spec)) {
      boolean ownHoldsIt = now.filter(ContainerInfo::isRunning)
          .filter(c -> String.valueOf(port.port()).equals(c.labels().get(Containers.PORT_LABEL)))
          .isPresent();
      (holders != null ? holders : PortHolders.of(storage.runtime()))
          .requireFree(storage, address, port.port(), spec.name(), ownHoldsIt);
    }
    Containers.ensure(storage.runtime(), spec, now).ifPresent(changes::add);
    return new Started(request, names, port.port(), credentials, spec.image(), changes);
  }

  private DbResult finish(Started s) {
    List<String> changes = new ArrayList<>(s.changes());
    changes.addAll(ready(s.names(), s.port(), s.credentials()));
    changes.addAll(DbFirewall.open(context, s.names(), s.port()));
    return new DbResult(instance(s.names(), s.request().version(), s.image(), s.port()),
        url(s.names(), s.port(), s.credentials()), changes);
  }

  /** A new password: the old one stops working, the result's URL has the new one. */
  public DbResult rotatePassword(ProjectName project, Environment env, DbKind kind) {
    Names names = new Names(project, env, kind);
    ContainerInfo info = existing(names);
    int port = port(info);
    StorageServer storage = context.storage();
    Credentials old = Credentials.load(storage, names).orElseThrow(() -> new NotFoundException(
        "the credentials of " + names.container() + " are missing on the storage server"));
    Credentials rotated = old.withPassword(Passwords.generate());
    if (kind == DbKind.POSTGRES) {
      try (PostgresAccess pg = new PostgresAccess(storage.link(), address(), port)) {
        pg.setPassword(old.admin().orElseThrow(), names.database(), rotated.password());
      }
      rotated.store(storage, names);
    } else {
      // requirepass lives in the container's environment: a new container (same volume).
      rotated.store(storage, names);
      DbRequest request = new DbRequest(project, env, kind,
          info.labels().getOrDefault(Containers.VERSION_LABEL, kind.defaultVersion()),
          Optional.of(info.image()));
      Containers.replace(storage.runtime(), Containers.spec(request, names, address(), port,
          rotated));
      ready(names, port, rotated);
    }
    return new DbResult(instance(names, info.labels().getOrDefault(Containers.VERSION_LABEL, ""),
        info.image(), port), url(names, port, rotated), List.of("rotated the password"));
  }

  /**
   * Removes the container, the firewall rule and the SSOT port; with {@code deleteData} also the
   * data volume and the credentials. Returns what it removed (empty: there was nothing).
   */
  public List<String> remove(ProjectName project, Environment env, DbKind kind,
      boolean deleteData) {
    Names names = new Names(project, env, kind);
    List<String> removed = new ArrayList<>();
    StorageServer storage = context.storage();
    Optional<ServicePort> held = servicePort(names);
    if (storage.runtime().remove(new ContainerId(names.container()))) {
      removed.add("container " + names.container());
    }
    if (held.isPresent()) {
      removed.addAll(DbFirewall.close(context, names, held.get().port()));
    }
    if (context.ssot().apply(new RegistryEdit.ReleaseServicePort(project, env, names.service()))) {
      removed.add("port " + held.map(p -> String.valueOf(p.port())).orElse("") + " in the SSOT");
    }
    if (deleteData) {
      if (storage.runtime().removeVolume(names.volume())) {
        removed.add("volume " + names.volume());
      }
      Credentials.delete(storage, names);
    }
    return removed;
  }

  /** The databases on the storage server, of one project or all; no secrets. */
  public List<DbInstance> list(Optional<ProjectName> project) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Names.ROLE_LABEL, Names.ROLE);
    project.ifPresent(p -> labels.put("codeb.project", p.value()));
    List<DbInstance> out = new ArrayList<>();
    for (ContainerInfo c : context.storage().runtime().list(labels)) {
      Optional<Names> names = names(c);
      if (names.isEmpty()) {
        continue;
      }
      out.add(new DbInstance(names.get().project(), names.get().environment(),
          names.get().kind(), c.labels().getOrDefault(Containers.VERSION_LABEL, ""), c.image(),
          port(c), context.storage().server().name(), c.state().name().toLowerCase(),
          Volumes.size(context.storage(), names.get().volume())));
    }
    return out;
  }

  /**
   * The project's database of that kind as the storage server has it now (no volume size, one
   * engine call), or empty when there is no such container.
   */
  public Optional<DbInstance> find(ProjectName project, Environment env, DbKind kind) {
    Names names = new Names(project, env, kind);
    return context.storage().runtime().inspect(new ContainerId(names.container())).map(c ->
        new DbInstance(project, env, kind, c.labels().getOrDefault(Containers.VERSION_LABEL, ""),
            c.image(), port(c), context.storage().server().name(),
            c.state().name().toLowerCase(java.util.Locale.ROOT), Optional.empty()));
  }

  /**
   * The connection URL of an existing database, from the credentials kept on the storage server
   * and the container's port; empty when either is missing. Reads only.
   */
  public Optional<Secret> url(ProjectName project, Environment env, DbKind kind) {
    Names names = new Names(project, env, kind);
    Optional<ContainerInfo> info = context.storage().runtime().inspect(
        new ContainerId(names.container()));
    if (info.isEmpty()) {
      return Optional.empty();
    }
    return Credentials.load(context.storage(), names).map(c -> url(names, port(info.get()), c));
  }

  /**
   * Whether the storage server keeps credentials for the database, with or without its
   * container (they outlive {@link #remove} without {@code deleteData}). Reads only.
   */
  public boolean hasCredentials(ProjectName project, Environment env, DbKind kind) {
    return Credentials.load(context.storage(), new Names(project, env, kind)).isPresent();
  }

  /** The running container of the database, or {@link NotFoundException} naming it. */
  ContainerInfo existing(Names names) {
    return context.storage().runtime().inspect(new ContainerId(names.container()))
        .orElseThrow(() -> new NotFoundException("no " + names.kind() + " for "
            + names.project() + " in " + names.environment() + " on storage server "
            + context.storage().server().name() + " (create it with: we db create "
            + names.project() + " --env " + names.environment() + " --kind " + names.kind()
            + ")"));
  }

  DbContext context() {
    return context;
  }

  String address() {
    return context.storage().server().privateAddress().value();
  }

  static int port(ContainerInfo c) {
    try {
      return Integer.parseInt(c.labels().getOrDefault(Containers.PORT_LABEL, ""));
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("container " + c.name() + " has no " + Containers.PORT_LABEL
          + " label: it was not made by we db");
    }
  }

  private Optional<ServicePort> servicePort(Names names) {
    return ServicePort.held(context.ssot().read(), names.project(), names.environment(),
        names.service());
  }

  private static Optional<Names> names(ContainerInfo c) {
    try {
      return Optional.of(new Names(ProjectName.of(c.labels().get("codeb.project")),
          Environment.of(c.labels().get("codeb.env")), DbKind.parse(c.labels().get("codeb.kind"))));
    } catch (RuntimeException notOurs) {
      return Optional.empty();
    }
  }

  /** Waits for a real login; for Postgres, makes the user and database exist. */
  List<String> ready(Names names, int port, Credentials credentials) {
    StorageServer storage = context.storage();
    if (names.kind() == DbKind.POSTGRES) {
      try (PostgresAccess pg = new PostgresAccess(storage.link(), address(), port)) {
        pg.awaitReady(credentials.admin().orElseThrow(), READY);
        return pg.ensureDatabase(credentials.admin().orElseThrow(), names.database(),
            credentials.password());
      }
    }
    try (RedisAccess redis = new RedisAccess(storage.link(), address(), port)) {
      redis.awaitReady(credentials.password(), READY);
    }
    return List.of();
  }

  private DbInstance instance(Names names, String version, String image, int port) {
    return new DbInstance(names.project(), names.environment(), names.kind(), version, image,
        port, context.storage().server().name(), "running", Optional.empty());
  }

  /** The URL the app uses: the storage server's private address and the SSOT's port. */
  Secret url(Names names, int port, Credentials credentials) {
    String host = address();
    if (names.kind() == DbKind.POSTGRES) {
      return Secret.of("postgresql://" + names.database() + ":" + credentials.password() + "@"
          + host + ":" + port + "/" + names.database());
    }
    return Secret.of("redis://:" + credentials.password() + "@" + host + ":" + port + "/0");
  }
}
