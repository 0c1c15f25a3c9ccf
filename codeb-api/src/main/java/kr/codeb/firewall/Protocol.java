package kr.codeb.firewall;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;

/** The protocols a firewall rule can allow; only tcp and udp have ports. */
public enum Protocol {
  TCP, UDP, ICMP, GRE, ESP, AH;

  /** The lower-case name that users type and cloud APIs use ({@code tcp}). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether rules of this protocol name a port or port range. */
  public boolean hasPorts() {
    return this == TCP || this == UDP;
  }

  /**
   * The protocol named {@code text}, in any case and with surrounding blanks.
   *
   * @throws InvalidRequestException for any other name (the message lists the allowed ones)
   */
  public static Protocol of(String text) {
    return find(text).orElseThrow(() -> new InvalidRequestException("unknown protocol "
        + Checks.quote(text) + ": allowed are " + Arrays.stream(values()).map(Protocol::id)
            .collect(Collectors.joining(", "))));
  }

  /** The protocol named {@code text}, in any case; empty for any other name. */
  public static Optional<Protocol> find(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String id = text.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(p -> p.id().equals(id)).findFirst();
  }

  @Override
  public String toString() {
    return id();
  }
}
