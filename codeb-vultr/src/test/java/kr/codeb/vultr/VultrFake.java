package kr.codeb.vultr;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static kr.codeb.vultr.VultrFakeAnswers.apiPath;
import static kr.codeb.vultr.VultrFakeAnswers.body;
import static kr.codeb.vultr.VultrFakeAnswers.error;
import static kr.codeb.vultr.VultrFakeAnswers.json;
import static kr.codeb.vultr.VultrFakeAnswers.page;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;

/**
 * A stateful fake of Vultr API v2's firewall endpoints on WireMock: groups, rules (at most
 * {@code max_rule_count} per group), cursor pagination with at most {@value #PAGE} items per
 * page, and injected failures (429 with or without {@code Retry-After}, 5xx, a reset
 * connection).
 *
 * <p>Every request is checked against CodeB's own description of these endpoints
 * ({@link VultrApiDescription}) and against what a description of shapes cannot say: the port
 * only for tcp/udp and as a port or range, an {@code ip_type} that matches the subnet. A
 * mismatch is answered 400 and recorded; every 2xx answer the fake gives is checked against the
 * description too. {@link #assertNoViolations()} fails the test on any of them.
 */
final class VultrFake implements AutoCloseable {
  static final String KEY = "test-key-6f1e2d3c4b5a";
  static final int PAGE = 10;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern GROUP = Pattern.compile("/v2/firewalls/([^/]+)");
  private static final Pattern RULES = Pattern.compile("/v2/firewalls/([^/]+)/rules");
  private static final Pattern RULE = Pattern.compile("/v2/firewalls/([^/]+)/rules/([^/]+)");
  private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "icmp", "gre", "esp", "ah");

  private final WireMockServer server;
  private final Map<String, Group> groups = new LinkedHashMap<>();
  private final Deque<Injected> faults = new ArrayDeque<>();
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger requests = new AtomicInteger();
  private long nextRuleId = 1;

  private static final class Group {
    final String id;
    final String description;
    final int max;
    final List<ObjectNode> rules = new ArrayList<>();

    Group(String id, String description, int max) {
      this.id = id;
      this.description = description;
      this.max = max;
    }
  }

  /** A failure to answer with instead of the real thing. */
  private record Injected(String method, int status, String retryAfter, boolean reset,
      int[] remaining, String error) {}

  VultrFake() {
    server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
        .extensions(new Transformer(VultrApiDescription.shared())));
    server.start();
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
  }

  int port() {
    return server.port();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.port() + "/v2");
  }

  /** A config for the fake with quick retries (tests of the retry itself set their own). */
  VultrConfig config() {
    return VultrConfig.of(endpoint(), kr.codeb.Secret.of(KEY))
        .withRetries(4, java.time.Duration.ofMillis(20), java.time.Duration.ofSeconds(2));
  }

  synchronized String createGroup(String description) {
    String id = UUID.randomUUID().toString();
    groups.put(id, new Group(id, description, 50));
    return id;
  }

  /** Deletes a group directly, as another tool would. */
  synchronized void deleteGroup(String id) {
    groups.remove(id);
  }

  /** Puts a rule in directly, as another tool would (e.g. one with a Cloudflare source). */
  synchronized void addRaw(String group, ObjectNode rule) {
    rule.put("id", nextRuleId++);
    groups.get(group).rules.add(rule);
  }

  synchronized int ruleCount(String group) {
    return groups.get(group).rules.size();
  }

  /** The next {@code times} requests of {@code method} (null: any) get {@code status}. */
  synchronized void fail(String method, int times, int status, String retryAfter) {
    faults.add(new Injected(method, status, retryAfter, false, new int[] {times}, null));
  }

  /** The next request of {@code method} gets {@code status} with {@code error} as its text. */
  synchronized void failWith(String method, int status, String error) {
    faults.add(new Injected(method, status, null, false, new int[] {1}, error));
  }

  /** The next {@code times} requests of {@code method} get their connection reset. */
  synchronized void reset(String method, int times) {
    faults.add(new Injected(method, 0, null, true, new int[] {times}, null));
  }

  int requests() {
    return requests.get();
  }

  /** "METHOD /path?query -> status" of every request, in order. */
  List<String> log() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  void assertNoViolations() {
    synchronized (violations) {
      Assertions.assertTrue(violations.isEmpty(),
          () -> "requests that break Vultr's API:\n" + String.join("\n", violations));
    }
  }

  @Override
  public void close() {
    server.stop();
  }

  private final class Transformer implements ResponseDefinitionTransformerV2 {
    private final VultrApiDescription description;

    Transformer(VultrApiDescription description) {
      this.description = description;
    }

    @Override
    public String getName() {
      return "vultr-fake";
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      requests.incrementAndGet();
      LoggedRequest r = event.getRequest();
      String method = r.getMethod().getName();
      URI url = URI.create(r.getUrl());
      ResponseDefinition answer;
      try {
        answer = answer(method, url, r);
      } catch (RuntimeException e) {
        violations.add(method + " " + r.getUrl() + ": the fake failed: " + e);
        answer = json(500, error("fake failed: " + e, 500));
      }
      log.add(method + " " + r.getUrl() + " -> "
          + (answer.getFault() != null ? "reset" : answer.getStatus()));
      if (answer.getFault() == null && answer.getStatus() >= 200 && answer.getStatus() < 300) {
        List<String> wrong = description.answerProblems(method, apiPath(url), answer.getStatus(),
            answer.getBody());
        if (!wrong.isEmpty()) {
          violations.add("the fake's answer to " + method + " " + url + ": "
              + String.join("; ", wrong));
        }
      }
      return answer;
    }

    private ResponseDefinition answer(String method, URI url, LoggedRequest r) {
      String auth = r.getHeader("Authorization");
      Map<String, List<String>> query = new LinkedHashMap<>();
      r.getQueryParams().forEach((name, q) -> query.put(name, q.values()));
      List<String> problems = new ArrayList<>(description.requestProblems(method, apiPath(url),
          query, auth, r.getBodyAsString()));
      if (!problems.isEmpty()) {
        violations.add(method + " " + url + ": " + String.join("; ", problems));
        return json(400, error(String.join("; ", problems), 400));
      }
      if (!auth.equals("Bearer " + KEY)) {
        return json(401, error("Invalid API token.", 401));
      }
      Optional<ResponseDefinition> injected = injected(method);
      if (injected.isPresent()) {
        return injected.get();
      }
      synchronized (VultrFake.this) {
        return route(method, url, r);
      }
    }

    private Optional<ResponseDefinition> injected(String method) {
      synchronized (VultrFake.this) {
        for (Injected f : faults) {
          if ((f.method() == null || f.method().equals(method)) && f.remaining()[0] != 0) {
            if (f.remaining()[0] > 0) {
              f.remaining()[0]--;
            }
            if (f.reset()) {
              return Optional.of(new ResponseDefinitionBuilder()
                  .withFault(Fault.CONNECTION_RESET_BY_PEER).build());
            }
            ResponseDefinitionBuilder b = new ResponseDefinitionBuilder().withStatus(f.status())
                .withHeader("Content-Type", "application/json")
                .withBody(error(f.error() != null ? f.error() : f.status() == 429
                    ? "Rate limit reached - please try your request again later."
                    : "Internal error", f.status()).toString());
            if (f.retryAfter() != null) {
              b.withHeader("Retry-After", f.retryAfter());
            }
            return Optional.of(b.build());
          }
        }
        return Optional.empty();
      }
    }

    private ResponseDefinition route(String method, URI url, LoggedRequest r) {
      String path = url.getPath();
      Matcher m;
      if (path.equals("/v2/firewalls") && method.equals("GET")) {
        ArrayNode items = MAPPER.createArrayNode();
        groups.values().forEach(g -> items.add(groupJson(g)));
        return page(items, "firewall_groups", r);
      }
      if (path.equals("/v2/firewalls") && method.equals("POST")) {
        JsonNode body = body(r);
        Group g = groups.get(createGroup(body.path("description").asText("")));
        ObjectNode n = MAPPER.createObjectNode();
        n.set("firewall_group", groupJson(g));
        return json(201, n);
      }
      if ((m = RULE.matcher(path)).matches()) {
        Group g = groups.get(m.group(1));
        if (g == null) {
          return json(404, error("Firewall group not found.", 404));
        }
        String ruleId = m.group(2);
        Optional<ObjectNode> rule = g.rules.stream()
            .filter(x -> x.path("id").asText().equals(ruleId)).findFirst();
        if (rule.isEmpty()) {
          return json(404, error("Firewall rule not found.", 404));
        }
        if (method.equals("DELETE")) {
          g.rules.remove(rule.get());
          return new ResponseDefinitionBuilder().withStatus(204).build();
        }
        ObjectNode n = MAPPER.createObjectNode();
        n.set("firewall_rule", rule.get());
        return json(200, n);
      }
      if ((m = RULES.matcher(path)).matches()) {
        Group g = groups.get(m.group(1));
        if (g == null) {
          return json(404, error("Firewall group not found.", 404));
        }
        if (method.equals("GET")) {
          ArrayNode items = MAPPER.createArrayNode();
          g.rules.forEach(items::add);
          return page(items, "firewall_rules", r);
        }
        return createRule(g, r);
      }
      if ((m = GROUP.matcher(path)).matches() && method.equals("GET")) {
        Group g = groups.get(m.group(1));
        if (g == null) {
          return json(404, error("Firewall group not found.", 404));
        }
        ObjectNode n = MAPPER.createObjectNode();
        n.set("firewall_group", groupJson(g));
        return json(200, n);
      }
      violations.add(method + " " + url + ": not an endpoint this fake knows");
      return json(404, error("Not found", 404));
    }

    private ResponseDefinition createRule(Group g, LoggedRequest r) {
      JsonNode body = body(r);
      List<String> problems = new ArrayList<>();
      String contentType = r.getHeader("Content-Type");
      if (contentType == null || !contentType.startsWith("application/json")) {
        problems.add("Content-Type is " + contentType + ", not application/json");
      }
      JsonNode protocol = body.path("protocol");
      if (!protocol.isTextual() || !PROTOCOLS.contains(protocol.asText())) {
        problems.add("protocol must be lowercase tcp/udp/icmp/gre/esp/ah, got " + protocol);
      }
      JsonNode port = body.path("port");
      boolean hasPorts = protocol.asText().equals("tcp") || protocol.asText().equals("udp");
      if (hasPorts && (!port.isTextual() || !port.asText().matches("\\d{1,5}(:\\d{1,5})?"))) {
        problems.add("port must be a string like \"5432\" or \"8000:8999\", got " + port);
      }
      if (!hasPorts && !port.isMissingNode() && !(port.isTextual() && port.asText().isEmpty())) {
        problems.add(protocol.asText() + " takes no port, got " + port);
      }
      JsonNode size = body.path("subnet_size");
      if (!size.isInt()) {
        problems.add("subnet_size must be a JSON integer, got " + size);
      }
      JsonNode subnet = body.path("subnet");
      String ipType = body.path("ip_type").asText("");
      if (!subnet.isTextual() || !ipType.equals(subnet.asText().contains(":") ? "v6" : "v4")) {
        problems.add("ip_type " + body.path("ip_type") + " does not match subnet " + subnet);
      }
      if (!body.path("notes").isMissingNode() && !body.path("notes").isTextual()) {
        problems.add("notes must be a string");
      }
      if (!problems.isEmpty()) {
        violations.add("POST " + r.getUrl() + " " + body + ": " + String.join("; ", problems));
        return json(400, error(String.join("; ", problems), 400));
      }
      if (g.rules.size() >= g.max) {
        violations.add("POST " + r.getUrl() + ": the group is full; CodeB should not have asked");
        return json(400, error("Maximum number of rules reached for this group.", 400));
      }
      ObjectNode rule = MAPPER.createObjectNode();
      rule.put("id", nextRuleId++);
      rule.put("type", ipType);
      rule.put("ip_type", ipType);
      rule.put("action", "accept");
      rule.put("protocol", protocol.asText());
      rule.put("port", hasPorts ? port.asText() : "");
      rule.put("subnet", subnet.asText());
      rule.put("subnet_size", size.asInt());
      rule.put("source", body.path("source").asText(""));
      rule.put("notes", body.path("notes").asText(""));
      g.rules.add(rule);
      ObjectNode n = MAPPER.createObjectNode();
      n.set("firewall_rule", rule);
      return json(201, n);
    }
  }

  private ObjectNode groupJson(Group g) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", g.id);
    n.put("description", g.description);
    n.put("date_created", "2025-01-01T00:00:00+00:00");
    n.put("date_modified", "2025-01-01T00:00:00+00:00");
    n.put("instance_count", 1);
    n.put("rule_count", g.rules.size());
    n.put("max_rule_count", g.max);
    return n;
  }
}
