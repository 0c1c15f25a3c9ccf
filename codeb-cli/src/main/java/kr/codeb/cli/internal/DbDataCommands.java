package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import kr.codeb.db.Backup;
import kr.codeb.db.DbBackups;
import kr.codeb.db.DbInstance;
import kr.codeb.deploy.DeployKey;
import kr.codeb.model.ProjectName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code we db list}, {@code we db backup} and {@code we db restore}: no secrets in any. */
final class DbDataCommands {
  private DbDataCommands() {}

  /** {@code we db list [--project P]}. */
  @Command(
      name = "list", header = "List the databases on the storage server.",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Kind, version, port, server, state and size on disk of each database.")
  static final class ListDbs implements Callable<Integer> {
    private final Session session;

    @Option(names = "--project", paramLabel = "P", description = "Only this project's.")
    String project;

    ListDbs(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      Optional<ProjectName> only = Optional.ofNullable(project).map(ProjectName::of);
      List<DbInstance> dbs;
      try (DbSetup setup = DbSetup.open(session, null)) {
        dbs = setup.databases().list(only);
      }
      if (session.json()) {
        ObjectNode root = session.jsonOutput().object();
        ArrayNode list = root.putArray("databases");
        for (DbInstance d : dbs) {
          ObjectNode o = list.addObject().put("project", d.project().value())
              .put("environment", d.environment().name()).put("kind", d.kind().id())
              .put("version", d.version()).put("image", d.image()).put("port", d.port())
              .put("server", d.server()).put("state", d.state());
          d.sizeBytes().ifPresentOrElse(s -> o.put("sizeBytes", s), () -> o.putNull("sizeBytes"));
        }
        session.printJson(root);
        return 0;
      }
      if (dbs.isEmpty()) {
        session.out().println("no databases");
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("PROJECT", "ENV", "KIND", "VERSION", "PORT", "SERVER", "STATE", "SIZE"));
      for (DbInstance d : dbs) {
        rows.add(List.of(d.project().value(), d.environment().name(), d.kind().id(), d.version(),
            String.valueOf(d.port()), d.server(), d.state(),
            d.sizeBytes().map(DbDataCommands::size).orElse("?")));
      }
      rows.forEach(r -> session.out().println(String.join("\t", r)));
      return 0;
    }
  }

  /** {@code we db backup PROJECT --env ENV [--keep N]}. */
  @Command(
      name = "backup", header = "Back up a project's databases on the storage server.",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {"pg_dump and a Redis snapshot into <dir>/backups/<project>-<env>/ on the",
          "storage server (dir: CODEB_DB_DIR, default /opt/codeb/db), keeping the newest N."})
  static final class BackupDbs implements Callable<Integer> {
    private final Session session;
    @Mixin ProjectEnvOptions target;

    @Option(names = "--keep", paramLabel = "N", defaultValue = "7",
        description = "Backups of each kind to keep (default 7).")
    int keep;

    BackupDbs(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      DeployKey key = target.key();
      List<Backup> made;
      try (DbSetup setup = DbSetup.open(session, key.project())) {
        made = new DbBackups(setup.databases()).backup(key.project(), key.environment(), keep);
        for (Backup b : made) {
          setup.record("backup", key.project(), key.environment(), b.kind(), "backed up",
              List.of("backup " + b.id() + " at " + b.path()));
        }
      }
      print(session, "backups", made);
      return 0;
    }
  }

  /** {@code we db restore PROJECT --env ENV --from BACKUP}. */
  @Command(
      name = "restore", header = "Restore a project's database from a backup.",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {"Restores a backup id that we db backup printed into a fresh database",
          "(Postgres: dropped and created empty first; Redis: restarted on the snapshot)."})
  static final class RestoreDb implements Callable<Integer> {
    private final Session session;
    @Mixin ProjectEnvOptions target;

    @Option(names = "--from", paramLabel = "BACKUP", required = true,
        description = "A backup id, e.g. postgres-20261205T064501123Z.")
    String from;

    RestoreDb(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      DeployKey key = target.key();
      Backup restored;
      try (DbSetup setup = DbSetup.open(session, key.project())) {
        restored = new DbBackups(setup.databases()).restore(key.project(), key.environment(),
            from);
        setup.record("restore", key.project(), key.environment(), restored.kind(), "restored",
            List.of("restored backup " + restored.id()));
      }
      print(session, "restored", List.of(restored));
      return 0;
    }
  }

  private static void print(Session session, String field, List<Backup> backups) {
    if (session.json()) {
      ObjectNode root = session.jsonOutput().object();
      ArrayNode list = root.putArray(field);
      backups.forEach(b -> list.addObject().put("kind", b.kind().id()).put("id", b.id())
          .put("path", b.path()).put("sizeBytes", b.sizeBytes()));
      session.printJson(root);
    } else {
      backups.forEach(b -> session.out().println(field + " " + b.id() + " (" + b.path() + ", "
          + size(b.sizeBytes()) + ")"));
    }
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return (bytes / 1024) + " KiB";
    }
    return (bytes / (1024 * 1024)) + " MiB";
  }
}
