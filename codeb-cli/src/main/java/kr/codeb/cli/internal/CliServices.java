package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.EnvResolver;
import kr.codeb.deploy.EnvSource;
import kr.codeb.firewall.FirewallProvider;
import kr.codeb.init.InitPlan;
import kr.codeb.init.InitRequest;
import kr.codeb.init.TlsEndpoint;
import kr.codeb.model.IpAddress;
import kr.codeb.ports.SsotStore;

/**
 * What a {@link CliExtension} (the MCP server) uses of the CLI, so that it works exactly as
 * the {@code we} commands do: the same config file ({@code --config} / {@code CODEB_CONFIG}),
 * the same provider URIs (global options, {@code CODEB_*} variables, {@code providers:}), the
 * same opening order and checks ({@code DeployProviders}), the same env-file rules and the same
 * JSON shapes as {@code --json}.
 *
 * <p>Each {@code open...} works on a fresh view of the line's session, so that a long-lived
 * extension sees a config file edited since it started, and calls from several threads do not
 * share lazily loaded state. Providers that a deploy verb opens come from one
 * {@link ProviderPool} kept for the life of this object (as the daemon keeps one), closed by
 * {@link #close()}.
 */
public final class CliServices implements AutoCloseable {
  private final Session line;
  private final ProviderPool pool = new ProviderPool();
  private final JsonOutput json = new JsonOutput();

  CliServices(Session line) {
    this.line = line;
  }

  /** A session with the line's options and environment, and the pool's providers. */
  private Session session() {
    Session s = new Session(line.out(), line.err(), line.env(), line.path(Path.of("")),
        pool.scope(Map.of()), false);
    GlobalOptions from = line.options();
    GlobalOptions to = s.options();
    to.config = from.config;
    to.ssot = from.ssot;
    to.runtime = from.runtime;
    to.proxy = from.proxy;
    to.dns = from.dns;
    to.firewall = from.firewall;
    return s;
  }

  /** Where the line's progress and notes for people go (the process's stderr). */
  public PrintStream err() {
    return line.err();
  }

  /** An environment variable of the line, or null when unset or blank. */
  public String variable(String name) {
    return line.variable(name);
  }

  /** A path given by the client, against the folder the line was started in. */
  public Path path(Path given) {
    return line.path(given);
  }

  /**
   * Checks the config file and the provider URIs now (a bad config file is an
   * {@link kr.codeb.InvalidRequestException}), as a command would on its first use.
   */
  public void checkConfig() {
    session().providers();
  }

  /** The SSOT store the options, environment and config name; the caller closes it. */
  public SsotStore openSsot() {
    return session().openSsot();
  }

  /** The deploy verbs' providers: SSOT (environment checked), releases, runtime, proxy. */
  public DeployWork openDeploy(DeployKey key) {
    return new DeployWork(DeployProviders.forDeploy(session(), key));
  }

  /** The SSOT and the release store only (locks need no engine). */
  public DeployWork openLocks(DeployKey key) {
    return new DeployWork(DeployProviders.forLocks(session(), key.environment()));
  }

  /** The proxy only. */
  public DeployWork openRoutes() {
    return new DeployWork(DeployProviders.forRoutes(session()));
  }

  /** The DNS provider and the proxy, as {@code we domain} opens them. */
  public DomainWork openDomains() {
    return new DomainWork(new DomainCommand.Providers(session()));
  }

  /**
   * The init plan of {@code request}, on the systems {@code we init} opens (same options: the
   * records' addresses, the TLS listener, the databases' version and image); the caller closes
   * it.
   */
  public InitWork openInit(InitRequest request, List<IpAddress> ips,
      Optional<TlsEndpoint> tls, Optional<String> dbVersion,
      Optional<String> dbImage) {
    return new InitWork(InitSetup.open(session(), request, new InitSetup.Options(dbVersion,
        dbImage, ips, tls)));
  }

  /** An init plan and the systems it works on, closed together. */
  public static final class InitWork implements AutoCloseable {
    private final InitSetup setup;

    private InitWork(InitSetup setup) {
      this.setup = setup;
    }

    public InitPlan plan() {
      return setup.plan();
    }

    @Override
    public void close() {
      setup.close();
    }
  }

  /** The firewall provider, as {@code we firewall} opens it; the caller closes it. */
  public FirewallProvider openFirewall() {
    return FirewallCommand.open(session());
  }

  /**
   * {@code we doctor --json}, or with {@code fix} {@code we doctor --fix --yes --json}: the
   * same document ({@code clean}, {@code drifts}, {@code notes}, {@code failures},
   * {@code applied}; after fixing also {@code outcomes} and {@code after}).
   */
  public ObjectNode doctor(boolean fix) {
    return DoctorCommand.json(session(), fix);
  }

  /**
   * The deploy hooks {@code we deploy} runs for {@code key} without hook options: the config
   * file's ({@code projects.<name>[.environments.<env>].hooks}) and the local hook scripts.
   *
   * @throws kr.codeb.InvalidRequestException for a {@code hooksDir} that is not a folder or a
   *     local hook that is not executable
   */
  public kr.codeb.deploy.DeployHooks hooks(DeployKey key) {
    return new HookOptions().hooks(session(), key);
  }

  /** The processes the config file declares for {@code key} (none: web alone). */
  public List<kr.codeb.deploy.ProcessSpec> processes(DeployKey key) {
    return session().config().processes().of(key);
  }

  /** Who acts: {@code CODEB_ACTOR}, else the user and host, as the CLI records it. */
  public String actor() {
    return PromoteCommand.actor(line);
  }

  /** An app's environment, gathered with the rules of {@code --env-file} and {@code -e}. */
  public record AppEnvironment(Map<String, String> values, EnvSource source) {
    public AppEnvironment {
      values = Map.copyOf(values);
      java.util.Objects.requireNonNull(source, "source");
    }

    @Override
    public String toString() {
      return "AppEnvironment[" + source.describe() + "]"; // never the values
    }
  }

  /** The names in a project's env file ({@code we env keys}); never the values. */
  public record EnvKeys(String location, boolean exists, List<String> keys) {
    public EnvKeys {
      java.util.Objects.requireNonNull(location, "location");
      keys = List.copyOf(keys);
    }
  }

  /** What {@code we env set} changed: where, and the keys by kind of change. */
  public record EnvChange(String location, kr.codeb.env.EnvFile.Diff diff) {
    public EnvChange {
      java.util.Objects.requireNonNull(location, "location");
      java.util.Objects.requireNonNull(diff, "diff");
    }
  }

  /** {@code we env keys}: the project must be in the SSOT (bad input otherwise). */
  public EnvKeys envKeys(DeployKey key) {
    EnvCommand.requireKnown(line, key);
    ProjectEnvFiles files = new ProjectEnvFiles(line);
    Optional<kr.codeb.env.EnvFile> file = files.read(key.project(), key.environment());
    return new EnvKeys(files.location(key.project(), key.environment()), file.isPresent(),
        file.map(f -> List.copyOf(f.keys())).orElse(List.of()));
  }

  /**
   * {@code we env set}: sets {@code values} (each key and value checked first) in the project's
   * env file on every app server that runs it; writes nothing when nothing changes.
   */
  public EnvChange envSet(DeployKey key, Map<String, String> values) {
    kr.codeb.env.EnvFile.EMPTY.with(values); // checks every key and value before any I/O
    EnvCommand.requireKnown(line, key);
    ProjectEnvFiles files = new ProjectEnvFiles(line);
    kr.codeb.env.EnvFile.Diff diff = files.update(key.project(), key.environment(),
        f -> f.with(values));
    return new EnvChange(files.location(key.project(), key.environment()), diff);
  }

  /**
   * The environment {@code we deploy} gives a new release of {@code key}: {@code file} (if
   * given; relative to the line's folder), else the project's env file on its app server (if
   * any), then {@code pairs} over it (see {@code we env}).
   */
  public AppEnvironment environment(DeployKey key, Optional<Path> file, boolean allowInsecureFile,
      List<String> pairs) {
    EnvResolver.Resolved r = DeployEnvironment.forDeploy(line, key,
        file.map(line::path).orElse(null), allowInsecureFile, pairs);
    return new AppEnvironment(r.values(), r.source());
  }

  /**
   * How {@code we rollback} finds the environment of a release of {@code key} it must recreate:
   * {@code file} and {@code pairs} if given, else the source the release recorded (the
   * project's env file as it is now, or the env file by path). The caller sees the values it
   * resolves through {@code seen} (to keep them out of what it sends).
   */
  public EnvResolver rollbackEnvironment(DeployKey key, Optional<Path> file,
      boolean allowInsecureFile, List<String> pairs,
      java.util.function.Consumer<Map<String, String>> seen) {
    return recorded -> {
      EnvResolver.Resolved r = DeployEnvironment.forRollback(line, key, recorded,
          file.map(line::path).orElse(null), pairs, allowInsecureFile);
      seen.accept(r.values());
      return r;
    };
  }

  /** The JSON shapes of {@code --json}, for the same results. */
  public CliJson json() {
    return new CliJson(json, line);
  }


  /** Closes the pooled providers unused for {@code limit}; call it now and then. */
  public int evictIdle(Duration limit) {
    return pool.evictIdle(limit);
  }

  /** Closes every pooled provider. */
  @Override
  public void close() {
    pool.close();
  }
}
