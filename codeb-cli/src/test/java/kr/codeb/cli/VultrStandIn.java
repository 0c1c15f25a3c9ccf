package kr.codeb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful stand-in for Vultr API v2's firewall endpoints (groups, rules, cursor pages of at
 * most 10), on the JDK's HTTP server, for tests whose {@code we} runs in another JVM (the
 * in-memory {@code mem:} firewall lives and dies with one JVM). Faults a test switches on and
 * off: every request answered 503 or 429 ({@code Retry-After: 1}), every request held without
 * an answer (a timeout), every request but GET held (reads pass, changes hang), or the server stopped (connection refused) and started again on the
 * same port with the same rules.
 */
final class VultrStandIn implements AutoCloseable {
  static final String KEY = "standin-key-5e4d3c2b1a";
  enum Fault { NONE, HTTP_503, HTTP_429, STALL, STALL_WRITES }

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern GROUP = Pattern.compile("/v2/firewalls/([^/]+)");
  private static final Pattern RULES = Pattern.compile("/v2/firewalls/([^/]+)/rules");
  private static final Pattern RULE = Pattern.compile("/v2/firewalls/([^/]+)/rules/([^/]+)");
  private static final int PAGE = 10;

  private final Map<String, String> groups = new LinkedHashMap<>();
  private final Map<String, List<ObjectNode>> rules = new LinkedHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final int port;
  private HttpServer server;
  private ExecutorService pool;
  private long nextRule = 1;
  private volatile Fault fault = Fault.NONE;
  private volatile CountDownLatch stalled = new CountDownLatch(1);

  VultrStandIn() throws IOException {
    start(0);
    port = server.getAddress().getPort();
  }

  private void start(int onPort) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 64);
    pool = Executors.newCachedThreadPool();
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The provider URI for {@code CODEB_FIREWALL} / {@code providers.firewall}. */
  String uri() {
    return "vultr+http://127.0.0.1:" + port + "/v2";
  }

  int port() {
    return port;
  }

  int requests() {
    return requests.get();
  }

  synchronized String createGroup(String description) {
    String id = UUID.randomUUID().toString();
    groups.put(id, description);
    rules.put(id, new ArrayList<>());
    return id;
  }

  /** The group's rules as "protocol port subnet/size", in order. */
  synchronized List<String> rules(String group) {
    return rules.get(group).stream().map(r -> r.path("protocol").asText() + " "
        + r.path("port").asText() + " " + r.path("subnet").asText() + "/"
        + r.path("subnet_size").asInt()).toList();
  }

  void fault(Fault next) {
    fault = next;
    if (next == Fault.NONE) {
      stalled.countDown();
    } else if (next == Fault.STALL || next == Fault.STALL_WRITES) {
      stalled = new CountDownLatch(1);
    }
  }

  /** Stops listening: connections are refused until {@link #restart()}. */
  synchronized void stop() {
    server.stop(0);
    pool.shutdownNow();
  }

  synchronized void restart() throws IOException {
    start(port);
  }

  private void handle(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    try (ex) {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (!("Bearer " + KEY).equals(auth)) {
        send(ex, 401, error("Invalid API token.", 401));
        return;
      }
      Fault now = fault;
      if (now == Fault.STALL_WRITES && !ex.getRequestMethod().equals("GET")) {
        now = Fault.STALL;
      }
      if (now == Fault.STALL) {
        awaitHeal();
        now = Fault.HTTP_503;
      }
      if (now == Fault.HTTP_503) {
        send(ex, 503, error("Service Unavailable (injected)", 503));
        return;
      }
      if (now == Fault.HTTP_429) {
        ex.getResponseHeaders().add("Retry-After", "1");
        send(ex, 429, error("Rate limit reached - please try your request again later.", 429));
        return;
      }
      synchronized (this) {
        route(ex);
      }
    }
  }

  private void awaitHeal() {
    try {
      stalled.await(10, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void route(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getPath();
    Map<String, String> query = query(ex.getRequestURI().getRawQuery());
    Matcher m;
    if (path.equals("/v2/firewalls") && method.equals("GET")) {
      ArrayNode items = MAPPER.createArrayNode();
      groups.keySet().forEach(id -> items.add(groupJson(id)));
      send(ex, 200, page(items, "firewall_groups", query));
    } else if ((m = RULE.matcher(path)).matches()) {
      List<ObjectNode> list = rules.get(m.group(1));
      String id = m.group(2);
      ObjectNode rule = list == null ? null : list.stream()
          .filter(r -> r.path("id").asText().equals(id)).findFirst().orElse(null);
      if (rule == null) {
        send(ex, 404, error("Firewall rule not found.", 404));
      } else if (method.equals("DELETE")) {
        list.remove(rule);
        ex.sendResponseHeaders(204, -1);
      } else {
        ObjectNode n = MAPPER.createObjectNode();
        n.set("firewall_rule", rule);
        send(ex, 200, n);
      }
    } else if ((m = RULES.matcher(path)).matches()) {
      List<ObjectNode> list = rules.get(m.group(1));
      if (list == null) {
        send(ex, 404, error("Firewall group not found.", 404));
      } else if (method.equals("GET")) {
        ArrayNode items = MAPPER.createArrayNode();
        list.forEach(items::add);
        send(ex, 200, page(items, "firewall_rules", query));
      } else {
        JsonNode body = MAPPER.readTree(ex.getRequestBody().readAllBytes());
        ObjectNode rule = MAPPER.createObjectNode();
        rule.put("id", nextRule++);
        rule.put("type", body.path("ip_type").asText());
        rule.put("ip_type", body.path("ip_type").asText());
        rule.put("action", "accept");
        rule.put("protocol", body.path("protocol").asText());
        rule.put("port", body.path("port").asText(""));
        rule.put("subnet", body.path("subnet").asText());
        rule.put("subnet_size", body.path("subnet_size").asInt());
        rule.put("source", body.path("source").asText(""));
        rule.put("notes", body.path("notes").asText(""));
        list.add(rule);
        ObjectNode n = MAPPER.createObjectNode();
        n.set("firewall_rule", rule);
        send(ex, 201, n);
      }
    } else if ((m = GROUP.matcher(path)).matches() && method.equals("GET")
        && groups.containsKey(m.group(1))) {
      ObjectNode n = MAPPER.createObjectNode();
      n.set("firewall_group", groupJson(m.group(1)));
      send(ex, 200, n);
    } else {
      send(ex, 404, error("Not found", 404));
    }
  }

  private ObjectNode groupJson(String id) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", id);
    n.put("description", groups.get(id));
    n.put("date_created", "2025-01-01T00:00:00+00:00");
    n.put("date_modified", "2025-01-01T00:00:00+00:00");
    n.put("instance_count", 1);
    n.put("rule_count", rules.get(id).size());
    n.put("max_rule_count", 50);
    return n;
  }

  private static ObjectNode page(ArrayNode all, String field, Map<String, String> query) {
    int perPage = Math.min(PAGE, Integer.parseInt(query.getOrDefault("per_page", "100")));
    String cursor = query.getOrDefault("cursor", "");
    int offset = cursor.isEmpty() ? 0 : Integer.parseInt(new String(
        Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8).substring("next__".length()));
    ObjectNode n = MAPPER.createObjectNode();
    ArrayNode items = n.putArray(field);
    for (int i = offset; i < Math.min(all.size(), offset + perPage); i++) {
      items.add(all.get(i));
    }
    ObjectNode meta = n.putObject("meta");
    meta.put("total", all.size());
    ObjectNode links = meta.putObject("links");
    links.put("next", offset + perPage < all.size() ? Base64.getEncoder().encodeToString(
        ("next__" + (offset + perPage)).getBytes(StandardCharsets.UTF_8)) : "");
    links.put("prev", "");
    return n;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        q.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : java.net.URLDecoder.decode(
            pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  private static ObjectNode error(String text, int status) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("error", text);
    n.put("status", status);
    return n;
  }

  private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    fault(Fault.NONE);
    stop();
  }
}
