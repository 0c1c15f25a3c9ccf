package kr.codeb.ssotserver.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.Finding;
import kr.codeb.ports.ProjectPorts;
import kr.codeb.ports.Registry;
import kr.codeb.ports.RepairReport;

/** The server's JSON: request bodies read strictly, answers in the shapes of {@code we --json}. */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
  private static final Set<String> TARGET_FIELDS = Set.of("project", "environment");
  private static final Set<String> ALLOCATE_FIELDS =
      Set.of("project", "environment", "portsInUse");

  private Json() {}

  /**
   * A write's body: {@code {"project":"p","environment":"e"}}, nothing else; an allocation may
   * add {@code "portsInUse":[4105,...]}, host ports in use outside the SSOT that it must skip.
   */
  record Target(ProjectName project, Environment environment, Set<Integer> portsInUse) {}

  static Target target(byte[] body, boolean allocate) {
    String shape = allocate
        ? "{\"project\":\"...\",\"environment\":\"...\"[,\"portsInUse\":[PORT,...]]}"
        : "{\"project\":\"...\",\"environment\":\"...\"}";
    JsonNode root = object(body, shape);
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!(allocate ? ALLOCATE_FIELDS : TARGET_FIELDS).contains(name)) {
        throw new InvalidRequestException("unknown field " + Checks.quote(name)
            + ": allowed are project, environment" + (allocate ? " and portsInUse" : ""));
      }
    }
    Set<Integer> inUse = new TreeSet<>();
    JsonNode ports = root.get("portsInUse");
    if (ports != null) {
      if (!ports.isArray()) {
        throw new InvalidRequestException("field 'portsInUse' must be an array of port numbers");
      }
      for (JsonNode port : ports) {
        if (!port.isInt()) {
          throw new InvalidRequestException("field 'portsInUse' holds " + port.getNodeType()
              .toString().toLowerCase(java.util.Locale.ROOT) + ": give port numbers 1-65535");
        }
        inUse.add(Checks.port("port in use", port.intValue()));
      }
    }
    return new Target(new ProjectName(text(root, "project")),
        new Environment(text(root, "environment")), inUse);
  }

  /** A repair's body: {@code {"dropUnclaimed":true|false}}, nothing else. */
  static boolean dropUnclaimed(byte[] body) {
    JsonNode root = object(body, "{\"dropUnclaimed\":true|false}");
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("dropUnclaimed")) {
        throw new InvalidRequestException("unknown field " + Checks.quote(name)
            + ": allowed is dropUnclaimed");
      }
    }
    JsonNode v = root.get("dropUnclaimed");
    if (v == null || !v.isBoolean()) {
      throw new InvalidRequestException("field 'dropUnclaimed' must be true or false");
    }
    return v.booleanValue();
  }

  private static JsonNode object(byte[] body, String shape) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException e) {
      String where = e instanceof JsonProcessingException p && p.getLocation() != null
          ? " at line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr()
          : "";
      throw new InvalidRequestException("the body is not valid JSON" + where + ": send " + shape);
    }
    if (root == null || !root.isObject()) {
      throw new InvalidRequestException("the body must be a JSON object: " + shape);
    }
    return root;
  }

  private static String text(JsonNode root, String field) {
    JsonNode v = root.get(field);
    if (v == null || !v.isTextual()) {
      throw new InvalidRequestException("field '" + field + "' must be a string");
    }
    return v.asText();
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static String write(ObjectNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serialises", e);
    }
  }

  static ObjectNode error(String kind, String message) {
    ObjectNode root = object();
    root.putObject("error").put("kind", kind).put("message", message);
    return root;
  }

  static ObjectNode ports(ProjectPorts p) {
    return object().put("project", p.project().value())
        .put("environment", p.environment().name())
        .put("blue", p.ports().blue()).put("green", p.ports().green())
        .put("created", p.created());
  }

  /** As {@code we ssot show --json}. */
  static ObjectNode registry(Registry r) {
    ObjectNode root = object();
    root.put("version", r.version());
    root.put("revision", r.revision().value());
    ObjectNode ranges = root.putObject("ranges");
    r.portRanges().forEach((env, range) ->
        ranges.putObject(env.name()).put("start", range.start()).put("end", range.end()));
    ObjectNode projects = root.putObject("projects");
    r.projects().forEach((name, entry) -> {
      ObjectNode p = projects.putObject(name.value());
      entry.ports().forEach((env, ports) ->
          p.putObject(env.name()).put("blue", ports.blue()).put("green", ports.green()));
    });
    ObjectNode allocated = root.putObject("allocated");
    r.allocations().forEach((port, a) -> {
      ObjectNode n = allocated.putObject(String.valueOf(port));
      n.put("project", a.project().value());
      n.put("slot", a.slot().id());
      if (a.environment().isPresent()) {
        n.put("environment", a.environment().get().name());
      } else {
        n.putNull("environment");
      }
    });
    return root;
  }

  /** A repair's outcome: whether it wrote, each change as one line, the findings left. */
  static ObjectNode repair(RepairReport report) {
    ObjectNode root = object();
    root.put("written", report.written());
    ArrayNode changes = root.putArray("changes");
    report.changes().forEach(c -> changes.add(c.describe()));
    root.set("remaining", findings(report.remaining()).get("findings"));
    return root;
  }

  /** As {@code we ssot check --json}. */
  static ObjectNode findings(List<Finding> findings) {
    ObjectNode root = object();
    ArrayNode array = root.putArray("findings");
    for (Finding f : findings) {
      ObjectNode n = array.addObject();
      n.put("kind", f.kind().id());
      if (f.port().isPresent()) {
        n.put("port", f.port().get().intValue());
      } else {
        n.putNull("port");
      }
      ArrayNode projects = n.putArray("projects");
      f.projects().forEach(projects::add);
      ArrayNode environments = n.putArray("environments");
      f.environments().forEach(environments::add);
      n.put("message", f.message());
    }
    return root;
  }
}
