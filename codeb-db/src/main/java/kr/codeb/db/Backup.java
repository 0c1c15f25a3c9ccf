package kr.codeb.db;

import java.util.Objects;

/**
 * One backup on the storage server.
 *
 * @param id what {@code restore --from} takes: {@code <kind>-<UTC timestamp>}, e.g.
 *     {@code postgres-20261205T064501123Z}
 * @param path where it is on the storage server
 */
public record Backup(DbKind kind, String id, String path, long sizeBytes) {
  public Backup {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(path, "path");
  }
}
