package kr.codeb.init;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.Secret;
import kr.codeb.db.Databases;
import kr.codeb.db.DbInstance;
import kr.codeb.db.DbKind;
import kr.codeb.db.DbRequest;
import kr.codeb.db.DbResult;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;

/**
 * One project's databases on the storage server, as the {@code databases}, {@code env} and
 * {@code firewall} steps need them. {@link #of} is the real one over codeb-db's
 * {@link Databases}; its context should name no firewall sources, because the {@code firewall}
 * step makes those rules itself (and records them).
 */
public interface ProjectDatabases {
  /** The database as the storage server has it now; empty when there is none. Reads only. */
  Optional<DbInstance> find(DbKind kind);

  /** Its connection URL from the stored credentials; empty when it does not exist. Reads only. */
  Optional<Secret> url(DbKind kind);

  /**
   * Whether its data (stored credentials, and the volume made with them) exists, with or
   * without a container ({@link Databases#hasCredentials}). Reads only.
   */
  boolean hasData(DbKind kind);

  /** Makes it run and accept its credentials; idempotent ({@link Databases#create}). */
  DbResult ensure(DbKind kind);

  /**
   * {@link #ensure} for each kind, results in the same order; the real one starts them all
   * before it waits for any ({@link Databases#create(List)}).
   */
  default List<DbResult> ensureAll(List<DbKind> kinds) {
    return kinds.stream().map(this::ensure).toList();
  }

  /**
   * Removes its container and SSOT port, with {@code deleteData} also its volume and
   * credentials; returns what was removed ({@link Databases#remove}).
   */
  List<String> remove(DbKind kind, boolean deleteData);

  /**
   * The project's databases through {@code databases}; {@code version} and {@code image} as
   * {@code we db create --version/--image} (empty: the kind's default version, the official
   * image).
   */
  static ProjectDatabases of(Databases databases, ProjectName project, Environment env,
      Optional<String> version, Optional<String> image) {
    Objects.requireNonNull(databases, "databases");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(env, "env");
    return new ProjectDatabases() {
      @Override
      public Optional<DbInstance> find(DbKind kind) {
        return databases.find(project, env, kind);
      }

      @Override
      public Optional<Secret> url(DbKind kind) {
        return databases.url(project, env, kind);
      }

      @Override
      public boolean hasData(DbKind kind) {
        return databases.hasCredentials(project, env, kind);
      }

      @Override
      public DbResult ensure(DbKind kind) {
        return databases.create(new DbRequest(project, env, kind,
            version.orElse(kind.defaultVersion()), image));
      }

      @Override
      public List<DbResult> ensureAll(List<DbKind> kinds) {
        return databases.create(kinds.stream().map(kind -> new DbRequest(project, env, kind,
            version.orElse(kind.defaultVersion()), image)).toList());
      }

      @Override
      public List<String> remove(DbKind kind, boolean deleteData) {
        return databases.remove(project, env, kind, deleteData);
      }
    };
  }
}
