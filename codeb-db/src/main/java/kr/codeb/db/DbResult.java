package kr.codeb.db;

import java.util.List;
import java.util.Objects;
import kr.codeb.Secret;

/**
 * What {@code create} or {@code rotatePassword} did.
 *
 * @param url the connection URL with the credentials, for the project's env file; its
 *     {@code toString()} is redacted
 * @param changes what was changed, in order ("took port 6000", "started the container", ...);
 *     empty when nothing was
 */
public record DbResult(DbInstance instance, Secret url, List<String> changes) {
  public DbResult {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(url, "url");
    changes = List.copyOf(changes);
  }

  public boolean changed() {
    return !changes.isEmpty();
  }
}
