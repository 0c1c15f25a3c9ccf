package kr.codeb.doctor;

import java.util.Locale;
import java.util.Objects;

/**
 * How a drift is fixed: one line of the plan that {@code we doctor --fix} prints, in the
 * create/update/delete style of {@code we domain}. A {@link Action#MANUAL} fix is a
 * description for a person; {@link Doctor#apply} never carries it out.
 *
 * @param action what the fix does to its target
 * @param kind what the target is: {@code ssot}, {@code container}, {@code route},
 *     {@code proxy}, {@code record}, {@code rule}
 * @param target the thing changed ({@code shop-production-blue on app1}, a route id, a record
 *     set, a rule)
 * @param detail the change, for people ({@code start it}, {@code dial 10.0.0.10:4101})
 */
public record Fix(Action action, String kind, String target, String detail) {
  /** What a fix does. */
  public enum Action {
    CREATE, UPDATE, DELETE, MANUAL;

    /** {@code create}, {@code update}, {@code delete}, {@code manual}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Fix {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(detail, "detail");
  }

  /** Whether {@link Doctor#apply} carries it out (everything but {@link Action#MANUAL}). */
  public boolean automatic() {
    return action != Action.MANUAL;
  }

  public static Fix manual(String kind, String target, String detail) {
    return new Fix(Action.MANUAL, kind, target, detail);
  }
}
