package kr.codeb.deploy;

import java.util.List;
import java.util.Objects;
import kr.codeb.model.Slot;

/**
 * The live slot's health: one probe of its health path on each app server.
 *
 * @param healthy whether every server answered healthy
 * @param status the HTTP status (the first unhealthy server's, else the first server's), or 0
 *     when no answer came
 * @param detail what was seen, for people
 * @param servers each server's probe, in the deploy's order; at least one
 */
public record HealthReport(DeployKey key, Slot slot, int port, String path, boolean healthy,
    int status, String detail, List<Server> servers) {
  public HealthReport {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(slot, "slot");
    Objects.requireNonNull(detail, "detail");
    servers = List.copyOf(servers);
    if (servers.isEmpty()) {
      throw new kr.codeb.InvalidRequestException("a health report covers at least one server");
    }
  }

  /** The probe of one app server. */
  public HealthReport(DeployKey key, Slot slot, int port, String path, boolean healthy,
      int status, String detail) {
    this(key, slot, port, path, healthy, status, detail,
        List.of(new Server(AppServer.DEFAULT_NAME, healthy, status, detail)));
  }

  /** One app server's probe of the live slot. */
  public record Server(String server, boolean healthy, int status, String detail) {
    public Server {
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
