package kr.codeb.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.ProjectName;

/**
 * One change CodeB made to a system, as the audit log keeps it.
 *
 * @param time when the change was stored
 * @param actor who asked for it ({@code CODEB_ACTOR}, or {@code user@host}), see
 *     {@link AuditContext}
 * @param command what asked for it: the CLI's command line ({@code we ssot allocate ...}), or
 *     what an embedding program set; {@code library} when nobody said
 * @param provider the provider id of the changed system ({@code file}, {@code postgresql},
 *     {@code caddy}, ...)
 * @param target what was changed, within that system, with a kind prefix: {@code
 *     ssot:project/web/production} for a project's ports, {@code ssot:ports.allocated/4101} for
 *     one allocation record; the fleet's kinds are listed in {@link AuditedProviders}
 *     ({@code container:}, {@code route:}, {@code record:}, {@code firewall:}, {@code env:},
 *     ...) and {@code db:SERVER/NAME} for a database
 * @param action the change, one lower-case word (or words joined by '-'): {@code allocate},
 *     {@code release}, {@code repair}, {@code create}, {@code update}, {@code delete},
 *     {@code start}, {@code stop}, {@code switch}, ...
 * @param project the project the change belongs to, if it belongs to one (what
 *     {@code we audit --project} filters on)
 * @param before the target's state before the change as one JSON value ({@code null} when it
 *     did not exist); never a secret value: a secret is written as its name only
 * @param after the target's state after the change, the same way ({@code null} when removed)
 */
public record AuditEntry(
    Instant time, String actor, String command, String provider, String target, String action,
    Optional<ProjectName> project, String before, String after) {

  public AuditEntry {
    Objects.requireNonNull(time, "time");
    actor = text("actor", actor);
    command = text("command", command);
    provider = text("provider", provider);
    target = text("target", target);
    action = text("action", action);
    Objects.requireNonNull(project, "project");
    before = text("before", before);
    after = text("after", after);
  }

  private static String text(String what, String value) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()) {
      throw new InvalidRequestException("an audit entry's " + what + " must not be blank");
    }
    return value;
  }
}
