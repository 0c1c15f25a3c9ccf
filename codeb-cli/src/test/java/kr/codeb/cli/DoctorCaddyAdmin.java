package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import kr.codeb.doctor.DriftKind;

/**
 * What the doctor's real-engine tests do behind CodeB's back: edit Caddy through its admin API
 * (as a person would by hand) and ask CodeB's listener for plain HTTP; and the small readers of
 * {@code we doctor --json} and {@code we routes --json} they assert with.
 */
final class DoctorCaddyAdmin {
  private final String admin;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .build();

  /** @param admin Caddy's admin URL, {@code http://127.0.0.1:2019} */
  DoctorCaddyAdmin(String admin) {
    this.admin = admin.strip().replaceFirst("/+$", "");
  }

  String authority() {
    return admin.replaceFirst("^https?://", "");
  }

  /** Points the route's upstream at {@code dial}, as a hand edit would. */
  void patchUpstream(String routeId, String dial) throws IOException {
    send("PATCH", "/id/codeb-upstream-" + routeId + "/upstreams", "[{\"dial\":\"" + dial
        + "\"}]");
  }

  void send(String method, String path, String body) throws IOException {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(admin + path))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json");
    r.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> response = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
      assertTrue(response.statusCode() / 100 == 2, method + " " + path + ": "
          + response.statusCode() + " " + response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** The status of a plain-HTTP request to a listener (a TLS listener answers 400). */
  int plainStatus(int port) throws IOException {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
        .timeout(Duration.ofSeconds(10)).build();
    try {
      return http.send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  /** The kinds of {@code we doctor --json}'s drifts. */
  static Set<DriftKind> kinds(JsonNode drifts) {
    Set<DriftKind> kinds = EnumSet.noneOf(DriftKind.class);
    Set<String> ids = new TreeSet<>();
    drifts.forEach(d -> ids.add(d.get("kind").asText()));
    for (DriftKind k : DriftKind.values()) {
      if (ids.contains(k.id())) {
        kinds.add(k);
      }
    }
    return kinds;
  }

  /** The upstream of route {@code id} in {@code we routes --json}, or null. */
  static String upstreamOf(JsonNode routes, String id) {
    for (JsonNode r : routes) {
      if (r.get("id").asText().equals(id)) {
        return r.get("upstream").asText();
      }
    }
    return null;
  }
}
