package kr.codeb.caddy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import kr.codeb.NotFoundException;
import kr.codeb.proxy.Maintenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A route's maintenance mode in Caddy, in one of two forms.
 *
 * <p>In the config (no {@code maintenance_dir}): a {@code subroute} handler placed first in the
 * route's handlers, whose one route answers with a {@code static_response} (503, the page,
 * {@code Retry-After}) and so never passes the request on to the route's {@code reverse_proxy}.
 * Turning it on or off is one config change, which Caddy applies gracefully (requests in flight
 * finish) but which also closes idle keep-alive connections.
 *
 * <pre>{@code
 * {"@id":"codeb-maintenance-<id>","handler":"subroute",
 *  "routes":[{"match":[{"header":{"X-CodeB-Probe":null}}],
 *             "handle":[{"handler":"static_response","status_code":503,
 *                        "headers":{"Content-Type":[..],"Retry-After":["60"]},"body":".."}]}]}
 * }</pre>
 *
 * <p>In files (with {@code maintenance_dir} DIR): every route always carries the handler, its
 * route guarded by a {@code file} matcher on the flag file {@code DIR/<id>.on}; a
 * {@code templates} handler renders the page from {@code DIR/<id>.html}, which also sets
 * {@code Retry-After}. On writes the page, then the flag; off deletes the flag. Caddy checks the
 * flag on every request, so neither changes its config and no connection is closed (checked on
 * Caddy 2.6.2). The page file stays after off, so a request that saw the flag just before it
 * went still finds its page.
 *
 * <pre>{@code
 * {"@id":"codeb-maintenance-<id>","handler":"subroute",
 *  "routes":[{"match":[{"file":{"root":"DIR","try_files":["/<id>.on"]},"header":{"X-CodeB-Probe":null}}],
 *             "handle":[{"handler":"templates","file_root":"DIR"},
 *                       {"handler":"static_response","status_code":503,"headers":{..},
 *                        "body":"{{include \"/<id>.html\"}}"}]}]}
 * }</pre>
 *
 * <p>Only requests without CodeB's probe header match (a {@code null} header list matches when
 * the header is absent), so the probes that confirm a DNS-driven switch still reach the upstream
 * during maintenance.
 */
public final class CaddyMaintenance {
  public static final String PREFIX = "codeb-maintenance-";
  private static final Logger LOG = LoggerFactory.getLogger(CaddyMaintenance.class);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String RETRY_START = "{{.RespHeader.Set \"Retry-After\" \"";
  private static final String RETRY_END = "\"}}";

  private final AdminClient admin;
  private final String dir;
  private final EdgeFiles files;

  /** Maintenance as a config change. */
  public CaddyMaintenance(AdminClient admin) {
    this(admin, "", null);
  }

  /** Maintenance in files in {@code dir} (empty: as a config change). */
  public CaddyMaintenance(AdminClient admin, String dir, EdgeFiles files) {
    this.admin = admin;
    this.dir = dir;
    this.files = files;
  }

  public static String id(String routeId) {
    return PREFIX + routeId;
  }

  private boolean inFiles() {
    return !dir.isEmpty();
  }

  private String flag(String routeId) {
    return dir + "/" + routeId + ".on";
  }

  private String pageFile(String routeId) {
    return dir + "/" + routeId + ".html";
  }

  /** The handler that puts route {@code routeId} in maintenance {@code mode} (config form). */
  public static ObjectNode handler(String routeId, Maintenance mode) {
    ObjectNode handler = F.objectNode();
    handler.put("@id", id(routeId));
    handler.put("handler", "subroute");
    ObjectNode route = handler.putArray("routes").addObject();
    route.putArray("match").addObject().putObject("header").putNull(SrvRouteJson.PROBE_HEADER);
    ObjectNode answer = route.putArray("handle").addObject();
    answer.put("handler", "static_response");
    answer.put("status_code", 503);
    ObjectNode headers = answer.putObject("headers");
    headers.putArray("Content-Type").add("text/html; charset=utf-8");
    headers.putArray("Retry-After").add(String.valueOf(mode.retryAfter().toSeconds()));
    headers.putArray("Cache-Control").add("no-store");
    answer.put("body", mode.page());
    return handler;
  }

  /** The handler every route carries in the file form: 503 while the flag file exists. */
  public static ObjectNode guard(String routeId, String dir) {
    ObjectNode handler = F.objectNode();
    handler.put("@id", id(routeId));
    handler.put("handler", "subroute");
    ObjectNode route = handler.putArray("routes").addObject();
    ObjectNode match = route.putArray("match").addObject();
    ObjectNode file = match.putObject("file");
    file.put("root", dir);
    file.putArray("try_files").add("/" + routeId + ".on");
    match.putObject("header").putNull(SrvRouteJson.PROBE_HEADER);
    ArrayNode handle = route.putArray("handle");
    ObjectNode templates = handle.addObject();
    templates.put("handler", "templates");
    templates.put("file_root", dir);
    ObjectNode answer = handle.addObject();
    answer.put("handler", "static_response");
    answer.put("status_code", 503);
    ObjectNode headers = answer.putObject("headers");
    headers.putArray("Content-Type").add("text/html; charset=utf-8");
    headers.putArray("Cache-Control").add("no-store");
    answer.put("body", "{{include \"/" + routeId + ".html\"}}");
    return handler;
  }

  /**
   * The page file: a template action setting {@code Retry-After}, then the page, whose message
   * has its braces as character references ({@link Maintenance#page()}), so it is never read as
   * a template.
   */
  static String pageTemplate(Maintenance mode) {
    return RETRY_START + mode.retryAfter().toSeconds() + RETRY_END + mode.page();
  }

  /** The mode a page file stands for. */
  static Maintenance parseTemplate(String template) {
    if (!template.startsWith(RETRY_START)) {
      throw new kr.codeb.InvalidRequestException("not a CodeB maintenance page template");
    }
    int end = template.indexOf(RETRY_END, RETRY_START.length());
    long retry = Long.parseLong(template.substring(RETRY_START.length(), end));
    return Maintenance.fromPage(template.substring(end + RETRY_END.length()), retry);
  }

  private static boolean isGuard(JsonNode handler) {
    return handler.path("routes").path(0).path("match").path(0).has("file");
  }

  /** The maintenance handler among a route's handlers, if any. */
  public static Optional<JsonNode> find(JsonNode route) {
    for (JsonNode h : route.path("handle")) {
      if (h.path("@id").asText().startsWith(PREFIX)) {
        return Optional.of(h);
      }
    }
    return Optional.empty();
  }

  /**
   * {@code desired} with its maintenance handler first: in the file form always the guard; in
   * the config form {@code existing}'s handler, if it had one.
   */
  public ObjectNode keep(JsonNode existing, ObjectNode desired) {
    if (find(desired).isPresent()) {
      return desired;
    }
    if (inFiles()) {
      String routeId = CaddyJson.idOf(desired).substring(CaddyJson.ROUTE_PREFIX.length());
      ((ArrayNode) desired.path("handle")).insert(0, guard(routeId, dir));
      return desired;
    }
    if (existing == null) {
      return desired;
    }
    Optional<JsonNode> handler = find(existing).filter(h -> !isGuard(h));
    handler.ifPresent(h -> ((ArrayNode) desired.path("handle")).insert(0, h.deepCopy()));
    return desired;
  }

  /** The mode a config-form maintenance handler stands for. */
  static Maintenance parse(JsonNode handler) {
    JsonNode answer = handler.path("routes").path(0).path("handle").path(0);
    long retry = Long.parseLong(answer.path("headers").path("Retry-After").path(0).asText("0"));
    return Maintenance.fromPage(answer.path("body").asText(), retry);
  }

  private JsonNode route(String routeId) {
    AdminClient.Snapshot route = admin.get("/id/" + CaddyJson.routeId(routeId));
    if (route.missing()) {
      throw new NotFoundException("no Caddy route " + routeId + " managed by CodeB at "
          + admin.admin(), "caddy", 404, null);
    }
    return route.body();
  }

  /** Puts {@code handler} first in the route: in place of its maintenance handler, or added. */
  private void place(String routeId, Optional<JsonNode> now, ObjectNode handler) {
    if (now.isPresent()) {
      admin.change("PATCH", "/id/" + id(routeId), handler, null);
    } else {
      admin.change("PUT", "/id/" + CaddyJson.routeId(routeId) + "/handle/0", handler, null);
    }
  }

  public void on(String routeId, Maintenance mode) {
    Optional<JsonNode> now = find(route(routeId));
    if (inFiles()) {
      ObjectNode guard = guard(routeId, dir);
      if (now.isEmpty() || !now.get().equals(guard)) {
        // A route made before maintenance_dir was set: one config change, then never again.
        place(routeId, now, guard);
      }
      byte[] page = pageTemplate(mode).getBytes(StandardCharsets.UTF_8);
      boolean samePage = files.read(pageFile(routeId)).map(b -> Arrays.equals(b, page))
          .orElse(false);
      if (!samePage) {
        files.write(pageFile(routeId), page);
      }
      if (samePage && files.exists(flag(routeId))) {
        return;
      }
      files.write(flag(routeId), new byte[0]);
    } else {
      ObjectNode desired = handler(routeId, mode);
      if (now.isPresent() && now.get().equals(desired)) {
        return;
      }
      place(routeId, now, desired);
    }
    LOG.info("Caddy route {}: maintenance on (Retry-After {} s)", routeId,
        mode.retryAfter().toSeconds());
  }

  public boolean off(String routeId) {
    Optional<JsonNode> now = find(route(routeId));
    boolean ended;
    if (inFiles()) {
      ended = files.delete(flag(routeId));
      if (now.isPresent() && !isGuard(now.get())) {
        // the config form, left from before maintenance_dir was set: the guard replaces it
        place(routeId, now, guard(routeId, dir));
        ended = true;
      }
    } else {
      ended = now.isPresent() && !isGuard(now.get()) && delete(routeId);
    }
    if (ended) {
      LOG.info("Caddy route {}: maintenance off", routeId);
    }
    return ended;
  }

  private boolean delete(String routeId) {
    try {
      admin.change("DELETE", "/id/" + id(routeId), null, null);
      return true;
    } catch (NotFoundException e) {
      return false; // ended by someone else meanwhile
    }
  }

  public Optional<Maintenance> get(String routeId) {
    Optional<JsonNode> now = find(route(routeId));
    if (now.isPresent() && !isGuard(now.get())) {
      return Optional.of(parse(now.get()));
    }
    if (!inFiles() || now.isEmpty() || !files.exists(flag(routeId))) {
      return Optional.empty();
    }
    return files.read(pageFile(routeId))
        .map(b -> parseTemplate(new String(b, StandardCharsets.UTF_8)));
  }
}
