package kr.codeb.doctor;

import java.util.Objects;

/**
 * One disagreement between what CodeB believes and what the fleet runs.
 *
 * @param kind the stable kind
 * @param subject what it is about ({@code shop production}, {@code container x on app1},
 *     {@code route shop-production}, {@code api.shop.kr}, {@code group db1 tcp 5432})
 * @param expected what CodeB's side says (the SSOT, the release history, the config)
 * @param actual what the fleet's side says (the engine, Caddy, PowerDNS, the firewall)
 * @param fix how it is fixed
 */
public record Drift(DriftKind kind, String subject, String expected, String actual, Fix fix) {
  public Drift {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(actual, "actual");
    Objects.requireNonNull(fix, "fix");
  }
}
