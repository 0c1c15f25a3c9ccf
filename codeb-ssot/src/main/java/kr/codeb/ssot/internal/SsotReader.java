package kr.codeb.ssot.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.model.Slot;
import kr.codeb.ports.Allocation;
import kr.codeb.ports.PortRange;
import kr.codeb.ports.ProjectEntry;
import kr.codeb.ports.Registry;
import kr.codeb.ports.Revision;
import kr.codeb.ports.SlotPorts;

/**
 * Turns a parsed v7 document into a {@link Registry}, refusing structural errors with the file's
 * display name and the JSON path of the offending value. Semantic trouble (overlaps, orphans,
 * owner mismatches) is not an error here: the checker reports it.
 */
final class SsotReader {
  /** Keys the model carries; every other key at the same level becomes an extension. */
  static final String MAJOR =
      Registry.FORMAT_VERSION.substring(0, Registry.FORMAT_VERSION.indexOf('.') + 1);
  static final Set<String> TOP_KEYS = Set.of("version", "portRanges", "projects", "ports");
  static final Set<String> PROJECT_KEYS = Set.of("ports");
  static final Set<String> ALLOCATION_KEYS = Set.of("project", "slot", "environment");

  private final String file;

  SsotReader(String file) {
    this.file = file;
  }

  Registry read(JsonNode root, Revision revision) {
    requireObject(root, "$", "an object with version, portRanges, projects and ports");
    JsonNode version = root.get("version");
    if (version == null) {
      throw fail("$", "the required field 'version' is missing; expected a string such as \""
          + Registry.FORMAT_VERSION + "\"");
    }
    if (!version.isTextual()) {
      throw fail("$.version", "expected a string such as \"" + Registry.FORMAT_VERSION
          + "\", found " + JsonTrees.describe(version));
    }
    if (!version.textValue().startsWith(MAJOR)) {
      throw fail("$.version", "this CodeB reads format " + MAJOR + "x (\"" + Registry.FORMAT_VERSION
          + "\"), the file has another version; refusing to change a format it does not know");
    }
    return new Registry(version.textValue(), ranges(root.get("portRanges")),
        projects(root.get("projects")), allocations(root.get("ports")),
        extensions(root, TOP_KEYS), revision);
  }

  private Map<Environment, PortRange> ranges(JsonNode node) {
    Map<Environment, PortRange> ranges = new LinkedHashMap<>();
    if (node == null) {
      return ranges;
    }
    requireObject(node, "$.portRanges", "an object of environment name -> {start, end}");
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String path = JsonTrees.child("$.portRanges", e.getKey());
      Environment env = at(path, () -> Environment.of(e.getKey()));
      JsonNode range = e.getValue();
      requireObject(range, path, "an object {\"start\": port, \"end\": port}");
      int start = port(range, path, "start");
      int end = port(range, path, "end");
      ranges.put(env, at(path, () -> new PortRange(start, end)));
    }
    return ranges;
  }

  private Map<ProjectName, ProjectEntry> projects(JsonNode node) {
    Map<ProjectName, ProjectEntry> projects = new LinkedHashMap<>();
    if (node == null) {
      return projects;
    }
    requireObject(node, "$.projects", "an object of project name -> {ports: {...}}");
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String path = JsonTrees.child("$.projects", e.getKey());
      ProjectName name = at(path, () -> ProjectName.of(e.getKey()));
      JsonNode project = e.getValue();
      requireObject(project, path, "an object {\"ports\": {environment: {blue, green}}}");
      Map<Environment, SlotPorts> ports = new LinkedHashMap<>();
      JsonNode portsNode = project.get("ports");
      if (portsNode != null) {
        String portsPath = path + ".ports";
        requireObject(portsNode, portsPath, "an object of environment name -> {blue, green}");
        for (Map.Entry<String, JsonNode> p : portsNode.properties()) {
          String envPath = JsonTrees.child(portsPath, p.getKey());
          Environment env = at(envPath, () -> Environment.of(p.getKey()));
          requireObject(p.getValue(), envPath, "an object {\"blue\": port, \"green\": port}");
          int blue = port(p.getValue(), envPath, "blue");
          int green = port(p.getValue(), envPath, "green");
          ports.put(env, at(envPath, () -> new SlotPorts(blue, green)));
        }
      }
      projects.put(name, new ProjectEntry(name, ports, extensions(project, PROJECT_KEYS)));
    }
    return projects;
  }

  private Map<Integer, Allocation> allocations(JsonNode portsNode) {
    Map<Integer, Allocation> allocations = new LinkedHashMap<>();
    if (portsNode == null) {
      return allocations;
    }
    requireObject(portsNode, "$.ports", "an object {\"allocated\": {port: {project, slot}}}");
    JsonNode node = portsNode.get("allocated");
    if (node == null) {
      return allocations;
    }
    requireObject(node, "$.ports.allocated", "an object of port number -> {project, slot}");
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String path = JsonTrees.child("$.ports.allocated", e.getKey());
      int port = portKey(e.getKey(), path);
      JsonNode record = e.getValue();
      requireObject(record, path, "an object {\"project\": name, \"slot\": \"blue\"|\"green\"}");
      String projectText = text(record, path, "project", true);
      String slotText = text(record, path, "slot", true);
      ProjectName project = atValue(path + ".project", projectText,
          () -> ProjectName.of(projectText));
      Slot slot = atValue(path + ".slot", slotText, () -> Slot.parse(slotText));
      String envText = text(record, path, "environment", false);
      Optional<Environment> env = envText == null ? Optional.empty()
          : Optional.of(atValue(path + ".environment", envText, () -> Environment.of(envText)));
      allocations.put(port, new Allocation(port, project, slot, env,
          extensions(record, ALLOCATION_KEYS)));
    }
    return allocations;
  }

  private int portKey(String key, String path) {
    // Digits only: "+4100", " 4100" or "4100.0" are not what a person or CodeB writes.
    if (!isPortNumber(key)) {
      throw fail(path, "the key is not a port number; allocation keys must be port numbers"
          + " 1-65535 such as \"4100\"");
    }
    return Integer.parseInt(key);
  }

  /** 1-5 ASCII digits, 1-65535 (no regex: this runs for every allocation record). */
  private static boolean isPortNumber(String key) {
    int n = key.length();
    if (n == 0 || n > 5) {
      return false;
    }
    int value = 0;
    for (int i = 0; i < n; i++) {
      char c = key.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      value = value * 10 + (c - '0');
    }
    return value >= 1 && value <= 65535;
  }

  private int port(JsonNode parent, String parentPath, String field) {
    JsonNode node = parent.get(field);
    String path = parentPath + "." + field;
    if (node == null) {
      throw fail(parentPath, "the required field '" + field + "' is missing; expected a port"
          + " number 1-65535");
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw fail(path, "expected a port number 1-65535, found " + JsonTrees.describe(node));
    }
    int port = node.intValue();
    if (port < 1 || port > 65535) {
      throw fail(path, "port " + port + " is outside 1-65535");
    }
    return port;
  }

  private String text(JsonNode parent, String parentPath, String field, boolean required) {
    JsonNode node = parent.get(field);
    // An optional field written as null (our own `we ssot show --json` prints
    // "environment": null) means the same as an absent one.
    if (node == null || (!required && node.isNull())) {
      if (required) {
        throw fail(parentPath, "the required field '" + field + "' is missing; expected a"
            + " string");
      }
      return null;
    }
    if (!node.isTextual()) {
      throw fail(parentPath + "." + field, "expected a string, found "
          + JsonTrees.describe(node));
    }
    return node.textValue();
  }

  private Map<String, Object> extensions(JsonNode node, Set<String> modelled) {
    Map<String, Object> ext = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!modelled.contains(e.getKey())) {
        ext.put(e.getKey(), JsonTrees.toJava(e.getValue()));
      }
    }
    return ext;
  }

  private void requireObject(JsonNode node, String path, String expected) {
    if (node == null || !node.isObject()) {
      throw fail(path, "expected " + expected + ", found " + JsonTrees.describe(node));
    }
  }

  /** Runs a model constructor, prefixing its own validation message with the place. */
  private <T> T at(String path, Supplier<T> make) {
    try {
      return make.get();
    } catch (InvalidRequestException e) {
      throw new InvalidRequestException(file + ": " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs a model constructor on a string value of the file, prefixing its message with the
   * place and taking the value out of it: the file's values are not echoed (a file that is not
   * an SSOT at all, or one holding a secret by mistake, must not end up in a terminal or log).
   */
  private <T> T atValue(String path, String value, Supplier<T> make) {
    try {
      return make.get();
    } catch (InvalidRequestException e) {
      String message = String.valueOf(e.getMessage()).replace(Checks.quote(value), "(not shown)");
      throw new InvalidRequestException(file + ": " + path + ": " + message);
    }
  }

  private InvalidRequestException fail(String path, String problem) {
    return new InvalidRequestException(file + ": " + path + ": " + problem);
  }
}
