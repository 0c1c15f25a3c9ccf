package kr.codeb.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import kr.codeb.ports.Allocation;
import kr.codeb.ports.Finding;
import kr.codeb.ports.PortChange;

/**
 * Builds the CLI's JSON documents as Jackson trees (never by string concatenation). The shapes
 * are stable and documented in the README's `we` reference.
 */
final class JsonOutput {
  private final ObjectMapper mapper = new ObjectMapper();

  ObjectNode object() {
    return mapper.createObjectNode();
  }

  String write(ObjectNode node) {
    try {
      return mapper.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree did not serialize", e);
    }
  }

  /** {@code [{"kind":..,"port":4101|null,"projects":[..],"environments":[..],"message":..}]} */
  ArrayNode findings(List<Finding> findings) {
    ArrayNode array = mapper.createArrayNode();
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
    return array;
  }

  /** {@code {"project":..,"slot":"blue"|"green","environment":..|null}} */
  ObjectNode allocation(Allocation a) {
    ObjectNode n = object();
    n.put("project", a.project().value());
    n.put("slot", a.slot().id());
    if (a.environment().isPresent()) {
      n.put("environment", a.environment().get().name());
    } else {
      n.putNull("environment");
    }
    return n;
  }

  /** {@code {"port":..,"before":allocation|null,"after":allocation|null,"fixes":kind}} */
  ObjectNode change(PortChange c) {
    ObjectNode n = object();
    n.put("port", c.port());
    n.set("before", optionalAllocation(c.before()));
    n.set("after", optionalAllocation(c.after()));
    n.put("fixes", c.fixes().id());
    return n;
  }

  private com.fasterxml.jackson.databind.JsonNode optionalAllocation(Optional<Allocation> a) {
    return a.<com.fasterxml.jackson.databind.JsonNode>map(this::allocation)
        .orElse(mapper.getNodeFactory().nullNode());
  }
}
