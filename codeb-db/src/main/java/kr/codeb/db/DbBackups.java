package kr.codeb.db;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.db.internal.Credentials;
import kr.codeb.db.internal.Names;
import kr.codeb.db.internal.PostgresAccess;
import kr.codeb.db.internal.RedisAccess;
import kr.codeb.db.internal.Shell;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.runtime.ContainerInfo;

/**
 * Backups on the storage server, in {@code <dataDir>/backups/<project>-<env>/}: Postgres as
 * {@code postgres-<UTC time>.dump} ({@code pg_dump -Fc}, run in the container as the
 * {@code postgres} user over the local socket), Redis as {@code redis-<UTC time>.rdb} (a
 * {@code SAVE}, then the snapshot copied out of the container). The newest {@code keep} of each
 * kind are kept.
 */
public final class DbBackups {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
  private static final Duration DUMP_TIMEOUT = Duration.ofMinutes(30);
  private final Databases databases;

  public DbBackups(Databases databases) {
    this.databases = Objects.requireNonNull(databases, "databases");
  }

  /**
   * Backs up every database of the project in the environment (each kind it has), then deletes
   * all but the newest {@code keep} backups of each.
   *
   * @throws NotFoundException if the project has no database there
   */
  public List<Backup> backup(ProjectName project, Environment env, int keep) {
    if (keep < 1 || keep > 1000) {
      throw new InvalidRequestException("--keep " + keep + " is outside 1-1000");
    }
    List<Backup> made = new ArrayList<>();
    for (DbKind kind : DbKind.values()) {
      Names names = new Names(project, env, kind);
      if (databases.context().storage().runtime().inspect(
          new kr.codeb.runtime.ContainerId(names.container())).isPresent()) {
        made.add(backup(names, keep));
      }
    }
    if (made.isEmpty()) {
      throw new NotFoundException("no database of " + project + " in " + env
          + " on the storage server to back up");
    }
    return made;
  }

  private Backup backup(Names names, int keep) {
    StorageServer s = databases.context().storage();
    ContainerInfo info = databases.existing(names);
    int port = Databases.port(info);
    String dir = folder(s, names);
    String id = names.kind().id() + "-" + STAMP.format(Instant.now());
    String file = dir + "/" + id + extension(names.kind());
    String cli = s.engineCli() + " ";
    String prepare = "mkdir -p " + Shell.quote(dir) + " && chmod 700 " + Shell.quote(dir)
        + " && ";
    if (names.kind() == DbKind.POSTGRES) {
      Shell.run(s.link(), "pg_dump of " + names.container(), prepare + cli + "exec -u postgres "
          + Shell.quote(names.container()) + " pg_dump -p " + port + " -Fc -d "
          + Shell.quote(names.database()) + " > " + Shell.quote(file + ".part") + " && mv "
          + Shell.quote(file + ".part") + " " + Shell.quote(file), DUMP_TIMEOUT);
    } else {
      Credentials c = credentials(s, names);
      try (RedisAccess redis = new RedisAccess(s.link(), databases.address(), port)) {
        redis.save(c.password());
      }
      Shell.run(s.link(), "copying the Redis snapshot of " + names.container(), prepare + cli
          + "cp " + Shell.quote(names.container() + ":/data/dump.rdb") + " "
          + Shell.quote(file + ".part") + " && mv " + Shell.quote(file + ".part") + " "
          + Shell.quote(file), DUMP_TIMEOUT);
    }
    long size = Long.parseLong(Shell.run(s.link(), "sizing " + file, "stat -c %s "
        + Shell.quote(file), Duration.ofSeconds(30)).strip());
    prune(s, dir, names.kind(), keep);
    return new Backup(names.kind(), id, file, size);
  }

  /**
   * Restores a backup into a fresh database: Postgres' database is dropped and created empty
   * (owned by the project's user) and the dump restored into it; Redis restarts on the
   * snapshot. The credentials stay as they are.
   *
   * @param id a backup's id as {@link #backup} returned it ({@code postgres-2026...Z})
   */
  public Backup restore(ProjectName project, Environment env, String id) {
    if (id == null || !id.matches("(postgres|redis)-[0-9]{8}T[0-9]{9}Z")) {
      throw new InvalidRequestException("backup " + Checks.quote(String.valueOf(id)) + " is not"
          + " a backup id: give one that we db backup printed, e.g."
          + " postgres-20261205T064501123Z");
    }
    DbKind kind = DbKind.parse(id.substring(0, id.indexOf('-')));
    Names names = new Names(project, env, kind);
    StorageServer s = databases.context().storage();
    String file = folder(s, names) + "/" + id + extension(kind);
    if (!s.link().run("test -f " + Shell.quote(file), Duration.ofSeconds(30)).succeeded()) {
      throw new NotFoundException("no backup " + id + " of " + project + " in " + env + " ("
          + file + " does not exist on the storage server)");
    }
    ContainerInfo info = databases.existing(names);
    int port = Databases.port(info);
    Credentials c = credentials(s, names);
    String cli = s.engineCli() + " ";
    if (kind == DbKind.POSTGRES) {
      try (PostgresAccess pg = new PostgresAccess(s.link(), databases.address(), port)) {
        pg.recreateDatabase(c.admin().orElseThrow(), names.database());
      }
      Shell.run(s.link(), "pg_restore into " + names.container(), cli + "exec -i -u postgres "
          + Shell.quote(names.container()) + " pg_restore -p " + port + " --exit-on-error -d "
          + Shell.quote(names.database()) + " < " + Shell.quote(file), DUMP_TIMEOUT);
    } else {
      Shell.run(s.link(), "restoring the Redis snapshot into " + names.container(), cli + "cp "
          + Shell.quote(file) + " " + Shell.quote(names.container() + ":/data/restore.rdb")
          + " && " + cli + "restart " + Shell.quote(names.container()), DUMP_TIMEOUT);
      try (RedisAccess redis = new RedisAccess(s.link(), databases.address(), port)) {
        redis.awaitReady(c.password(), Databases.READY);
        redis.appendOnly(c.password());
      }
    }
    long size = Long.parseLong(Shell.run(s.link(), "sizing " + file, "stat -c %s "
        + Shell.quote(file), Duration.ofSeconds(30)).strip());
    return new Backup(kind, id, file, size);
  }

  private static void prune(StorageServer s, String dir, DbKind kind, int keep) {
    // Names sort by time; everything but the newest `keep` goes.
    Shell.run(s.link(), "pruning old backups in " + dir, "cd " + Shell.quote(dir)
        + " && ls -1 | grep -E '^" + kind.id() + "-[0-9]{8}T[0-9]{9}Z\\" + extension(kind)
        + "$' | sort -r | tail -n +" + (keep + 1) + " | xargs -r rm -f --",
        Duration.ofSeconds(60));
  }

  private static Credentials credentials(StorageServer s, Names names) {
    return Credentials.load(s, names).orElseThrow(() -> new NotFoundException(
        "the credentials of " + names.container() + " are missing on the storage server"));
  }

  static String folder(StorageServer s, Names names) {
    return s.dataDir() + "/backups/" + names.backupFolder();
  }

  private static String extension(DbKind kind) {
    return kind == DbKind.POSTGRES ? ".dump" : ".rdb";
  }
}
