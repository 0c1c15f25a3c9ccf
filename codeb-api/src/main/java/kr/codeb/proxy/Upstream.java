package kr.codeb.proxy;

import java.util.Objects;
import kr.codeb.Checks;
import kr.codeb.model.IpAddress;

/** Where a route sends traffic: a host address and port ({@code 127.0.0.1:4101}). */
public record Upstream(IpAddress address, int port) {
  public Upstream {
    Objects.requireNonNull(address, "address");
    Checks.port("upstream port", port);
  }

  /** The dial string, as {@code 127.0.0.1:4101} or {@code [fd00::1]:4101}. */
  public String dial() {
    return (address.isV4() ? address.value() : "[" + address.value() + "]") + ":" + port;
  }
}
