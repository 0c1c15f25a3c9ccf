package kr.codeb.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * An API's own error text: the {@code error} field of a JSON body (or its {@code message} when
 * it is an object), else the body's start.
 */
public final class ErrorText {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int LONGEST = 300;

  private ErrorText() {}

  public static String of(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node != null && node.path("error").isTextual()) {
        return node.get("error").asText().strip();
      }
      // {"error":{"kind":"..","message":".."}}, as CodeB's own SSOT server answers
      if (node != null && node.path("error").path("message").isTextual()) {
        return node.get("error").get("message").asText().strip();
      }
    } catch (IOException e) {
      // not JSON: the text itself
    }
    String flat = new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
    return flat.length() > LONGEST ? flat.substring(0, LONGEST) + "..." : flat;
  }
}
