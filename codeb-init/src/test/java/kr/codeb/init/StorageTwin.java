package kr.codeb.init;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.Secret;
import kr.codeb.db.DbInstance;
import kr.codeb.db.DbKind;
import kr.codeb.db.DbResult;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;

/**
 * An in-memory storage server for the machinery's tests: containers, volumes and credentials
 * per kind, with the same idempotence as {@code Databases} (the real one runs in the
 * real-engine test). Counts how often each kind was created, to prove "no duplicate".
 */
final class StorageTwin implements ProjectDatabases {
  private final ProjectName project;
  private final Environment env;
  final Map<DbKind, Integer> containers = new EnumMap<>(DbKind.class);
  final Map<DbKind, String> passwords = new EnumMap<>(DbKind.class);
  final Map<DbKind, Integer> creations = new EnumMap<>(DbKind.class);
  int nextPort = 6000;

  StorageTwin(ProjectName project, Environment env) {
    this.project = project;
    this.env = env;
  }

  @Override
  public Optional<DbInstance> find(DbKind kind) {
    return Optional.ofNullable(containers.get(kind)).map(p -> instance(kind, p));
  }

  @Override
  public Optional<Secret> url(DbKind kind) {
    if (!containers.containsKey(kind) || !passwords.containsKey(kind)) {
      return Optional.empty();
    }
    return Optional.of(Secret.of(kind.id() + "://u:" + passwords.get(kind) + "@10.0.0.20:"
        + containers.get(kind) + "/x"));
  }

  @Override
  public DbResult ensure(DbKind kind) {
    List<String> changes = new ArrayList<>();
    if (!passwords.containsKey(kind)) {
      passwords.put(kind, "pw" + kind.id() + "Secret1234567890");
      changes.add("generated the credentials");
    }
    if (!containers.containsKey(kind)) {
      containers.put(kind, nextPort++);
      creations.merge(kind, 1, Integer::sum);
      changes.add("took port " + containers.get(kind));
      changes.add("started container");
    }
    return new DbResult(instance(kind, containers.get(kind)), url(kind).orElseThrow(), changes);
  }

  @Override
  public List<String> remove(DbKind kind, boolean deleteData) {
    List<String> removed = new ArrayList<>();
    if (containers.remove(kind) != null) {
      removed.add("container " + kind);
    }
    if (deleteData && passwords.remove(kind) != null) {
      removed.add("volume " + kind);
    }
    return removed;
  }

  private DbInstance instance(DbKind kind, int port) {
    return new DbInstance(project, env, kind, kind.defaultVersion(), kind.officialImage() + ":"
        + kind.defaultVersion(), port, "db1", "running", Optional.empty());
  }
}
