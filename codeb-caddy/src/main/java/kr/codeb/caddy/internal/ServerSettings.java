package kr.codeb.caddy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Optional;

/**
 * What CodeB owns on its Caddy server besides the routes: {@code listen}, {@code automatic_https},
 * a route list that ends with the 404 catch-all. {@link #nextChange} names the first of them
 * that differs from the settings, as one change at its own path; applying changes until there is
 * none brings a server made with other settings (or by hand) in line.
 */
public final class ServerSettings {
  private final String serverPath;
  private final ArrayNode listen;
  private final JsonNode automaticHttps;

  /** One change of one setting. */
  public record Change(String method, String path, JsonNode body, String what) {}

  public ServerSettings(String serverPath, List<String> listen, boolean automaticHttps) {
    this.serverPath = serverPath;
    this.listen = JsonNodeFactory.instance.arrayNode();
    listen.forEach(this.listen::add);
    this.automaticHttps = CaddyJson.automaticHttps(automaticHttps);
  }

  /** Every setting of {@code server} (CodeB's server as read) that differs: name, now, wanted. */
  public List<String[]> differences(JsonNode server) {
    List<String[]> found = new java.util.ArrayList<>();
    JsonNode listenNow = server.path("listen");
    if (!listenNow.equals(listen)) {
      found.add(new String[] {"listen", shown(listenNow), listen.toString()});
    }
    JsonNode httpsNow = server.path("automatic_https");
    if (!httpsNow.equals(automaticHttps)) {
      found.add(new String[] {"automatic_https", shown(httpsNow), automaticHttps.toString()});
    }
    JsonNode routes = server.path("routes");
    if (!routes.isArray() || CaddyJson.indexOf(routes, CaddyJson.CATCH_ALL_ID) < 0) {
      found.add(new String[] {"routes", "no 404 catch-all route",
          "ends with the 404 catch-all route " + CaddyJson.CATCH_ALL_ID});
    }
    return found;
  }

  private static String shown(JsonNode value) {
    return value.isMissingNode() || value.isNull() ? "(absent)" : value.toString();
  }

  /** The first change {@code server} (CodeB's server as read) needs, or none. */
  public Optional<Change> nextChange(JsonNode server) {
    JsonNode listenNow = server.path("listen");
    if (!listenNow.equals(listen)) {
      return Optional.of(new Change(listenNow.isArray() ? "PATCH" : "POST",
          serverPath + "/listen", listen, "listen on " + listen + " instead of " + listenNow));
    }
    JsonNode httpsNow = server.path("automatic_https");
    if (!httpsNow.equals(automaticHttps)) {
      return Optional.of(new Change(httpsNow.isObject() ? "PATCH" : "POST",
          serverPath + "/automatic_https", automaticHttps,
          "set automatic_https to " + automaticHttps + " instead of " + httpsNow));
    }
    JsonNode routes = server.path("routes");
    if (!routes.isArray()) {
      return Optional.of(new Change("POST", serverPath + "/routes",
          JsonNodeFactory.instance.arrayNode().add(CaddyJson.catchAll()), "add the route list"));
    }
    if (CaddyJson.indexOf(routes, CaddyJson.CATCH_ALL_ID) < 0) {
      return Optional.of(new Change("POST", serverPath + "/routes", CaddyJson.catchAll(),
          "add the 404 catch-all route"));
    }
    return Optional.empty();
  }
}
