package kr.codeb.ssot.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.Environment;
import kr.codeb.ports.Allocation;
import kr.codeb.ports.PortRange;
import kr.codeb.ports.ProjectEntry;
import kr.codeb.ports.Registry;
import kr.codeb.ports.SlotPorts;

/**
 * Patches a document tree in place so it says what a {@link Registry} says, touching only what
 * differs. Why patch instead of re-serialising: people edit the SSOT by hand, and fields CodeB
 * does not model (also where the model has no {@code extensions}, as in ranges and per-env
 * ports) and the key order must survive CodeB's writes. Jackson's {@link ObjectNode} keeps
 * insertion order, {@code set} on an existing key keeps its position, new keys go last.
 */
final class SsotPatcher {
  private SsotPatcher() {}

  /** A fresh document's skeleton, in the order version, portRanges, projects, ports. */
  static ObjectNode skeleton() {
    ObjectNode root = JsonTrees.NODES.objectNode();
    root.put("version", Registry.FORMAT_VERSION);
    root.putObject("portRanges");
    root.putObject("projects");
    root.putObject("ports").putObject("allocated");
    return root;
  }

  static void patch(ObjectNode root, Registry r) {
    setText(root, "version", r.version());
    patchRanges(child(root, "portRanges", !r.portRanges().isEmpty()), r.portRanges());
    patchProjects(child(root, "projects", !r.projects().isEmpty()), r.projects());
    ObjectNode ports = child(root, "ports", !r.allocations().isEmpty());
    patchAllocations(ports == null ? null : child(ports, "allocated", !r.allocations().isEmpty()),
        r.allocations());
    patchExtensions(root, SsotReader.TOP_KEYS, r.extensions(), "the document");
  }

  private static void patchRanges(ObjectNode node, Map<Environment, PortRange> ranges) {
    if (node == null) {
      return;
    }
    Map<String, PortRange> byName = byName(ranges, Environment::name);
    removeAbsent(node, byName.keySet());
    byName.forEach((env, range) -> {
      ObjectNode obj = objectAt(node, env);
      setInt(obj, "start", range.start());
      setInt(obj, "end", range.end());
    });
  }

  private static void patchProjects(ObjectNode node, Map<?, ProjectEntry> projects) {
    if (node == null) {
      return;
    }
    Map<String, ProjectEntry> byName = projects.values().stream().collect(Collectors.toMap(
        p -> p.name().value(), Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));
    removeAbsent(node, byName.keySet());
    byName.forEach((name, entry) -> {
      ObjectNode obj = objectAt(node, name);
      ObjectNode ports = child(obj, "ports", !entry.ports().isEmpty());
      if (ports != null) {
        Map<String, SlotPorts> envs = byName(entry.ports(), Environment::name);
        removeAbsent(ports, envs.keySet());
        envs.forEach((env, sp) -> {
          ObjectNode e = objectAt(ports, env);
          setInt(e, "blue", sp.blue());
          setInt(e, "green", sp.green());
        });
      }
      patchExtensions(obj, SsotReader.PROJECT_KEYS, entry.extensions(), "project " + name);
    });
  }

  private static void patchAllocations(ObjectNode node, Map<Integer, Allocation> allocations) {
    if (node == null) {
      return;
    }
    Map<String, Allocation> byKey = byName(allocations, String::valueOf);
    removeAbsent(node, byKey.keySet());
    byKey.forEach((key, a) -> {
      ObjectNode obj = objectAt(node, key);
      setText(obj, "project", a.project().value());
      setText(obj, "slot", a.slot().id());
      if (a.environment().isPresent()) {
        setText(obj, "environment", a.environment().get().name());
      } else {
        obj.remove("environment");
      }
      patchExtensions(obj, SsotReader.ALLOCATION_KEYS, a.extensions(), "allocation " + key);
    });
  }

  /**
   * Makes the unmodelled keys of {@code node} equal the extensions: removes keys the model
   * dropped, replaces values that differ, appends new ones. Equal values keep their node, so
   * their exact number formatting survives.
   */
  private static void patchExtensions(
      ObjectNode node, Set<String> modelled, Map<String, Object> ext, String where) {
    List<String> gone = new ArrayList<>();
    node.properties().forEach(e -> {
      if (!modelled.contains(e.getKey()) && !ext.containsKey(e.getKey())) {
        gone.add(e.getKey());
      }
    });
    node.remove(gone);
    ext.forEach((key, value) -> {
      if (modelled.contains(key)) {
        throw new InvalidRequestException("the extensions of " + where + " use the key '" + key
            + "', which the SSOT format reserves: extensions may not use " + modelled);
      }
      JsonNode existing = node.get(key);
      if (existing == null || !Objects.equals(JsonTrees.toJava(existing), value)) {
        node.set(key, JsonTrees.toNode(value));
      }
    });
  }

  /** The object under {@code key}; created (appended) when absent and {@code create} is set. */
  private static ObjectNode child(ObjectNode parent, String key, boolean create) {
    JsonNode node = parent.get(key);
    if (node instanceof ObjectNode obj) {
      return obj;
    }
    if (node == null && !create) {
      return null;
    }
    // A non-object here would have been refused on read; replace it rather than fail a write.
    return parent.putObject(key);
  }

  private static ObjectNode objectAt(ObjectNode parent, String key) {
    return child(parent, key, true);
  }

  private static void removeAbsent(ObjectNode node, Set<String> keep) {
    List<String> gone = new ArrayList<>();
    node.properties().forEach(e -> {
      if (!keep.contains(e.getKey())) {
        gone.add(e.getKey());
      }
    });
    node.remove(gone);
  }

  private static void setInt(ObjectNode obj, String key, int value) {
    JsonNode old = obj.get(key);
    if (old == null || !old.isIntegralNumber() || !old.canConvertToInt() || old.intValue() != value) {
      obj.put(key, value);
    }
  }

  private static void setText(ObjectNode obj, String key, String value) {
    JsonNode old = obj.get(key);
    if (old == null || !value.equals(old.textValue())) {
      obj.put(key, value);
    }
  }

  private static <K, V> Map<String, V> byName(Map<K, V> map, Function<K, String> name) {
    Map<String, V> out = new java.util.LinkedHashMap<>();
    map.forEach((k, v) -> out.put(name.apply(k), v));
    return out;
  }
}
