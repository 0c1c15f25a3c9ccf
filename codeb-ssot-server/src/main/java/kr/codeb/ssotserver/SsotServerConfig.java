package kr.codeb.ssotserver;

import java.time.Duration;
import java.util.Objects;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;

/**
 * How an {@link SsotServer} listens and what it allows.
 *
 * @param host the address to listen on, an IP literal ({@code 127.0.0.1} by default: the
 *     edge's Caddy terminates TLS in front of it)
 * @param port the TCP port, 0 for any free one
 * @param maxBodyBytes the largest request body accepted (413 beyond)
 * @param requestsPerSecond per token: more in one second is answered 429 with Retry-After
 * @param idleTimeout how long a connection may stay silent, also in the middle of a request
 */
public record SsotServerConfig(String host, int port, int maxBodyBytes, int requestsPerSecond,
    Duration idleTimeout) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8420;

  public SsotServerConfig {
    Objects.requireNonNull(host, "host");
    if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      throw new InvalidRequestException("listen address " + Checks.quote(host)
          + ": use an IP literal, e.g. 127.0.0.1 or 0.0.0.0");
    }
    if (port != 0) {
      Checks.port("listen port", port);
    }
    if (maxBodyBytes < 64 || maxBodyBytes > 1 << 20) {
      throw new InvalidRequestException("body limit " + maxBodyBytes + ": use 64 to 1048576 bytes");
    }
    if (requestsPerSecond < 1 || requestsPerSecond > 100_000) {
      throw new InvalidRequestException("rate " + requestsPerSecond
          + ": use 1 to 100000 requests per second per token");
    }
    Checks.positive("idle timeout", idleTimeout);
  }

  /** Loopback, port 8420, 16 KiB bodies, 50 requests per second per token, 30 s idle. */
  public static SsotServerConfig defaults() {
    return new SsotServerConfig(DEFAULT_HOST, DEFAULT_PORT, 16 * 1024, 50, Duration.ofSeconds(30));
  }

  public SsotServerConfig withListen(String newHost, int newPort) {
    return new SsotServerConfig(newHost, newPort, maxBodyBytes, requestsPerSecond, idleTimeout);
  }

  public SsotServerConfig withRate(int newRequestsPerSecond) {
    return new SsotServerConfig(host, port, maxBodyBytes, newRequestsPerSecond, idleTimeout);
  }
}
