package kr.codeb.domain;

import java.util.Locale;
import java.util.Objects;

/**
 * One thing {@link Domains} looked at and what it did to it.
 *
 * @param kind {@code zone}, {@code record} or {@code route}
 * @param target the zone ({@code vsvs.kr.}), the record set ({@code api.vsvs.kr. A}) or the
 *     route id ({@code vsvs-kr-production})
 * @param action what happened
 * @param detail the value afterwards (addresses, hosts), for people and scripts
 */
public record DomainChange(String kind, String target, Action action, String detail) {
  /** What happened to one thing. */
  public enum Action {
    CREATED, UPDATED, UNCHANGED, DELETED;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
      return id();
    }
  }

  public DomainChange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(detail, "detail");
  }
}
