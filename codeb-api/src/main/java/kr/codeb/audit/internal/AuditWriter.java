package kr.codeb.audit.internal;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import kr.codeb.audit.AuditContext;
import kr.codeb.audit.AuditEntry;
import kr.codeb.audit.AuditLog;
import kr.codeb.model.ProjectName;

/**
 * Appends the entries of the audited providers: time from the clock, actor and command from
 * {@link AuditContext#current()}. A change that was made is never undone or failed because its
 * entry could not be stored: the failure goes to {@code onFailure} (the CLI prints it).
 */
public final class AuditWriter {
  private final AuditLog log;
  private final Clock clock;
  private final Function<String, Optional<ProjectName>> projectOf;
  private final Consumer<RuntimeException> onFailure;

  public AuditWriter(AuditLog log, Clock clock, Function<String, Optional<ProjectName>> projectOf,
      Consumer<RuntimeException> onFailure) {
    this.log = Objects.requireNonNull(log, "log");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.projectOf = Objects.requireNonNull(projectOf, "projectOf");
    this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
  }

  /** The project a container or route named {@code name} belongs to, if one is known. */
  public Optional<ProjectName> projectOf(String name) {
    try {
      return projectOf.apply(name);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Appends one entry; {@code before} and {@code after} are JSON text or null. */
  public void record(String provider, String target, String action,
      Optional<ProjectName> project, Object before, Object after) {
    try {
      AuditContext context = AuditContext.current();
      log.append(new AuditEntry(clock.instant(), context.actor(), context.command(), provider,
          target, action, project, json(before), json(after)));
    } catch (RuntimeException e) {
      onFailure.accept(e);
    }
  }

  private static String json(Object value) {
    return value == null ? "null" : value.toString();
  }
}
