package kr.codeb.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.ProjectName;

/**
 * Which entries {@link AuditLog#read} returns: those at or after {@code since}, of
 * {@code project}, at most the {@code limit} newest of them, oldest first.
 */
public record AuditQuery(Optional<Instant> since, Optional<ProjectName> project, int limit) {
  /** The most entries one read returns unless asked for fewer. */
  public static final int MAX_LIMIT = 100_000;

  public AuditQuery {
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(project, "project");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidRequestException("an audit query's limit must be 1-" + MAX_LIMIT
          + ", not " + limit);
    }
  }

  /** Every entry (up to {@link #MAX_LIMIT}, the newest). */
  public static AuditQuery all() {
    return new AuditQuery(Optional.empty(), Optional.empty(), MAX_LIMIT);
  }

  /** Whether an entry passes the time and project filters (the limit is the reader's). */
  public boolean matches(AuditEntry entry) {
    return since.map(s -> !entry.time().isBefore(s)).orElse(true)
        && project.map(p -> entry.project().filter(p::equals).isPresent()).orElse(true);
  }
}
