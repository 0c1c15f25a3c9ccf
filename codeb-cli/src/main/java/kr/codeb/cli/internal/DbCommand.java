package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import kr.codeb.InvalidRequestException;
import kr.codeb.db.DbKind;
import kr.codeb.db.DbRequest;
import kr.codeb.db.DbResult;
import kr.codeb.deploy.DeployKey;
import kr.codeb.env.EnvFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code we db}: each project's Postgres and Redis on the storage server. The connection URLs go
 * into the project's env file and are printed only with {@code --show-secrets}.
 */
@Command(
    name = "db", header = "Postgres and Redis per project on the storage server.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Postgres and Redis per project and environment on the storage server:"
        + " create, list, remove, backup, restore, rotate-password.")
final class DbCommand implements Callable<Integer> {
  private final Session session;

  DbCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    return session.missingSubcommand("we db");
  }

  /** {@code --kind postgres|redis}, checked before anything is opened. */
  static final class KindOption {
    @Option(names = "--kind", paramLabel = "KIND", required = true,
        description = "postgres or redis.")
    String kind;

    DbKind parse() {
      return DbKind.parse(kind);
    }
  }

  /** {@code we db create}. */
  @Command(
      name = "create", header = "Run a project's Postgres or Redis on the storage server.",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {"Runs <project>-<env>-<kind> on the storage server's engine with a port",
          "from the SSOT's 'storage' range, generated credentials and a firewall rule from the",
          "app server; waits for a real login, and writes DATABASE_URL or REDIS_URL into the",
          "project's env file. Run again, it changes nothing and prints 'unchanged'."})
  static final class Create implements Callable<Integer> {
    private final Session session;
    @Mixin ProjectEnvOptions target;
    @Mixin KindOption kind;

    @Option(names = "--version", paramLabel = "V",
        description = "The official image's tag (default: 16 for postgres, 7 for redis).")
    String version;

    @Option(names = "--image", paramLabel = "IMAGE",
        description = "Run this image instead of the official postgres:V or redis:V.")
    String image;

    @Option(names = "--show-secrets", description = "Print the connection URL (with password).")
    boolean showSecrets;

    Create(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      DeployKey key = target.key();
      DbKind k = kind.parse();
      DbRequest request = new DbRequest(key.project(), key.environment(), k,
          version == null ? k.defaultVersion() : version, Optional.ofNullable(image));
      try (DbSetup setup = DbSetup.open(session, key.project())) {
        DbResult result = setup.databases().create(request);
        setup.record("create", key.project(), key.environment(), k, "running",
            result.changes());
        return report(session, result, writeUrl(session, key, k, result), showSecrets);
      }
    }
  }

  /** {@code we db rotate-password}. */
  @Command(
      name = "rotate-password", header = "Give a project's database a new password.",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {"A new generated password: the old one stops working, and the project's",
          "env file gets the new URL. Redis restarts with it (its data is kept)."})
  static final class RotatePassword implements Callable<Integer> {
    private final Session session;
    @Mixin ProjectEnvOptions target;
    @Mixin KindOption kind;

    @Option(names = "--show-secrets", description = "Print the new connection URL.")
    boolean showSecrets;

    RotatePassword(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      DeployKey key = target.key();
      DbKind k = kind.parse();
      try (DbSetup setup = DbSetup.open(session, key.project())) {
        DbResult result = setup.databases().rotatePassword(key.project(), key.environment(), k);
        setup.record("rotate-password", key.project(), key.environment(), k, "running",
            result.changes());
        return report(session, result, writeUrl(session, key, k, result), showSecrets);
      }
    }
  }

  /** {@code we db remove}. */
  @Command(
      name = "remove", header = "Remove a project's database container and its port.",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {"Removes the container, the firewall rule, the SSOT port and the env file's",
          "URL. The data volume and credentials stay unless --delete-data is given. Asks for",
          "confirmation on a terminal; elsewhere --yes is required."})
  static final class Remove implements Callable<Integer> {
    private final Session session;
    @Mixin ProjectEnvOptions target;
    @Mixin KindOption kind;

    @Option(names = "--delete-data", description = "Also delete the data volume and credentials.")
    boolean deleteData;

    @Option(names = "--yes", description = "Do not ask for confirmation.")
    boolean yes;

    Remove(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      DeployKey key = target.key();
      DbKind k = kind.parse();
      String what = key.project() + "-" + key.environment() + "-" + k
          + (deleteData ? " and its data" : "");
      if (!yes) {
        boolean confirmed = session.askYesNo("Remove " + what + "?").orElseThrow(() ->
            new InvalidRequestException("not removing " + what + " without confirmation:"
                + " pass --yes (no terminal to ask on)"));
        if (!confirmed) {
          session.out().println("not removed");
          return 1;
        }
      }
      List<String> removed;
      try (DbSetup setup = DbSetup.open(session, key.project())) {
        removed = setup.databases().remove(key.project(), key.environment(), k, deleteData);
        setup.record("delete", key.project(), key.environment(), k,
            deleteData ? "removed with its data" : "removed, data kept", removed);
      }
      ProjectEnvFiles env = new ProjectEnvFiles(session);
      EnvFile.Diff diff = env.update(key.project(), key.environment(),
          f -> f.without(List.of(k.envKey())));
      if (!diff.isEmpty()) {
        removed = new java.util.ArrayList<>(removed);
        removed.add(k.envKey() + " from " + env.location(key.project(), key.environment()));
      }
      if (session.json()) {
        ObjectNode root = session.jsonOutput().object();
        root.put("project", key.project().value()).put("environment", key.environment().name())
            .put("kind", k.id()).put("removed", !removed.isEmpty());
        ArrayNode list = root.putArray("changes");
        removed.forEach(list::add);
        session.printJson(root);
      } else {
        session.out().println(removed.isEmpty() ? what + ": nothing to remove"
            : "removed " + String.join(", ", removed));
      }
      return 0;
    }
  }

  /** Writes the result's URL into the env file; returns what that changed, or empty. */
  static Optional<String> writeUrl(Session session, DeployKey key, DbKind kind, DbResult result) {
    ProjectEnvFiles env = new ProjectEnvFiles(session);
    EnvFile.Diff diff = env.update(key.project(), key.environment(),
        f -> f.with(Map.of(kind.envKey(), result.url().reveal())));
    return diff.isEmpty() ? Optional.empty() : Optional.of("wrote " + kind.envKey() + " to "
        + env.location(key.project(), key.environment()));
  }

  static int report(Session session, DbResult result, Optional<String> envChange,
      boolean showSecrets) {
    List<String> changes = new java.util.ArrayList<>(result.changes());
    envChange.ifPresent(changes::add);
    String outcome = changes.isEmpty() ? "unchanged"
        : changes.stream().anyMatch(c -> c.startsWith("took port")) ? "created" : "updated";
    var i = result.instance();
    if (session.json()) {
      ObjectNode root = session.jsonOutput().object();
      root.put("project", i.project().value()).put("environment", i.environment().name())
          .put("kind", i.kind().id()).put("server", i.server()).put("port", i.port())
          .put("version", i.version()).put("image", i.image()).put("outcome", outcome)
          .put("envKey", i.kind().envKey());
      ArrayNode list = root.putArray("changes");
      changes.forEach(list::add);
      if (showSecrets) {
        root.put("url", result.url().reveal());
      }
      session.printJson(root);
    } else {
      session.out().println(i.name() + " on " + i.server() + ", port " + i.port() + ": "
          + outcome + (changes.isEmpty() ? "" : " (" + String.join("; ", changes) + ")"));
      if (showSecrets) {
        session.out().println(i.kind().envKey() + "=" + result.url().reveal());
      }
    }
    return 0;
  }
}
