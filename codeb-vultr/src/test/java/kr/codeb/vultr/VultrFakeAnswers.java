package kr.codeb.vultr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** How {@link VultrFake} reads requests and writes answers: JSON, errors, cursor pages. */
final class VultrFakeAnswers {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private VultrFakeAnswers() {}

  static ResponseDefinition page(ArrayNode all, String field, LoggedRequest r) {
    int perPage = 100;
    String asked = value(r, "per_page");
    if (asked != null) {
      perPage = Integer.parseInt(asked);
    }
    perPage = Math.min(perPage, VultrFake.PAGE);
    int offset = 0;
    String cursor = value(r, "cursor");
    if (cursor != null && !cursor.isEmpty()) {
      offset = Integer.parseInt(new String(Base64.getDecoder().decode(cursor),
          StandardCharsets.UTF_8).substring("next__".length()));
    }
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
    return json(200, n);
  }

  /** The path below {@code /v2}. */
  static String apiPath(URI url) {
    return url.getPath().replaceFirst("^/v2", "");
  }

  static String value(LoggedRequest r, String name) {
    var q = r.queryParameter(name);
    return q != null && q.isPresent() ? q.firstValue() : null;
  }

  static JsonNode body(LoggedRequest r) {
    try {
      return MAPPER.readTree(r.getBodyAsString());
    } catch (Exception e) {
      return MAPPER.createObjectNode();
    }
  }

  static ObjectNode error(String text, int status) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("error", text);
    n.put("status", status);
    return n;
  }

  static ResponseDefinition json(int status, JsonNode body) {
    return new ResponseDefinitionBuilder().withStatus(status)
        .withHeader("Content-Type", "application/json").withBody(body.toString()).build();
  }
}
