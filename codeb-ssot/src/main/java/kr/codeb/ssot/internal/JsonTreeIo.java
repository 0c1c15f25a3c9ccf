package kr.codeb.ssot.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Reads JSON text into a Jackson tree and writes a tree back, with jackson-core's streaming API
 * and no ObjectMapper. The tree is the one ObjectMapper would build with the SSOT's settings:
 * duplicate keys refused, anything after the document refused, integers as int, long or big
 * integer nodes by size, floats as exact BigDecimal nodes (scale kept, so "1.50" is written
 * back as "1.50"). Instances are immutable and thread-safe.
 */
final class JsonTreeIo {
  private final JsonFactory factory = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  private final DefaultPrettyPrinter printer;

  /** @param printer the layout of written documents (a fresh instance is used per write) */
  JsonTreeIo(DefaultPrettyPrinter printer) {
    this.printer = printer;
  }

  /**
   * The tree of one JSON document.
   *
   * @throws JsonParseException for malformed JSON, a duplicate key or content after the
   *     document, with the location
   */
  JsonNode read(byte[] bytes) throws IOException {
    try (JsonParser p = factory.createParser(bytes)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new JsonParseException(p, "no JSON value in the document");
      }
      JsonNode root = value(p, first);
      JsonToken after = p.nextToken();
      if (after != null) {
        throw new JsonParseException(p, "content after the end of the document (" + after
            + "); a file holds exactly one JSON object");
      }
      return root;
    }
  }

  private JsonNode value(JsonParser p, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT: {
        ObjectNode obj = JsonTrees.NODES.objectNode();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
          String key = p.currentName();
          obj.set(key, value(p, p.nextToken()));
        }
        return obj;
      }
      case START_ARRAY: {
        ArrayNode arr = JsonTrees.NODES.arrayNode();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          arr.add(value(p, t));
        }
        return arr;
      }
      case VALUE_STRING:
        return JsonTrees.NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        switch (p.getNumberType()) {
          case INT:
            return JsonTrees.NODES.numberNode(p.getIntValue());
          case LONG:
            return JsonTrees.NODES.numberNode(p.getLongValue());
          default:
            return JsonTrees.NODES.numberNode(p.getBigIntegerValue());
        }
      case VALUE_NUMBER_FLOAT:
        return JsonTrees.NODES.numberNode(p.getDecimalValue());
      case VALUE_TRUE:
        return JsonTrees.NODES.booleanNode(true);
      case VALUE_FALSE:
        return JsonTrees.NODES.booleanNode(false);
      case VALUE_NULL:
        return JsonTrees.NODES.nullNode();
      default:
        throw new JsonParseException(p, "unexpected " + token);
    }
  }

  /** The tree as JSON text in the printer's layout (UTF-8, no trailing newline). */
  byte[] write(JsonNode root) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try (JsonGenerator g = factory.createGenerator(out)) {
      g.setPrettyPrinter(printer.createInstance());
      write(g, root);
    } catch (IOException e) {
      // Writing to memory cannot fail; this would be a bug, not bad input.
      throw new UncheckedIOException("could not write a JSON tree to memory", e);
    }
    return out.toByteArray();
  }

  private void write(JsonGenerator g, JsonNode node) throws IOException {
    if (node.isObject()) {
      g.writeStartObject();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        g.writeFieldName(e.getKey());
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (node.isArray()) {
      g.writeStartArray();
      for (JsonNode element : node) {
        write(g, element);
      }
      g.writeEndArray();
    } else if (node.isTextual()) {
      g.writeString(node.textValue());
    } else if (node.isInt()) {
      g.writeNumber(node.intValue());
    } else if (node.isLong()) {
      g.writeNumber(node.longValue());
    } else if (node.isBigInteger()) {
      g.writeNumber(node.bigIntegerValue());
    } else if (node.isNumber()) {
      g.writeNumber(node.decimalValue());
    } else if (node.isBoolean()) {
      g.writeBoolean(node.booleanValue());
    } else if (node.isNull()) {
      g.writeNull();
    } else {
      // Parsing and JsonTrees.toNode make nothing else; keep the text rather than fail.
      g.writeString(node.asText());
    }
  }
}
