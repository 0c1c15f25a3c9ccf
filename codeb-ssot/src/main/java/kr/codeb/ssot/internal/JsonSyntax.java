package kr.codeb.ssot.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * A JSON syntax error described without the document's content: the line, column and JSON path
 * where the parser stopped, and what kind of problem it found. Jackson's own messages quote the
 * offending token or key, which is the file's content.
 */
final class JsonSyntax {
  private JsonSyntax() {}

  /** {@code "line 3, column 7 ($.portRanges.staging): "}, or what of it is known. */
  static String place(JsonProcessingException e) {
    StringBuilder b = new StringBuilder();
    JsonLocation at = e.getLocation();
    if (at != null && at.getLineNr() > 0) {
      b.append("line ").append(at.getLineNr()).append(", column ").append(at.getColumnNr());
    }
    String path = e.getProcessor() instanceof JsonParser p ? path(p.getParsingContext()) : null;
    if (path != null) {
      b.append(b.length() == 0 ? "" : " ").append("(").append(path).append(")");
    }
    return b.length() == 0 ? "" : b.append(": ").toString();
  }

  /** What kind of syntax error it is, in words, never quoting the text. */
  static String problem(JsonProcessingException e) {
    String m = String.valueOf(e.getOriginalMessage()).toLowerCase(Locale.ROOT);
    if (m.startsWith("unrecognized token")) {
      return "a word that is not JSON (text must be in double quotes; the only bare words are"
          + " true, false and null)";
    }
    if (m.startsWith("unexpected end-of-input") || m.contains("end-of-input")) {
      return "the document ends too early (a missing closing brace, bracket or quote)";
    }
    if (m.startsWith("duplicate field")) {
      return "a key appears twice in one object";
    }
    if (m.startsWith("illegal unquoted character")) {
      return "a control character inside a string (write it escaped, e.g. \\\\n)";
    }
    if (m.contains("invalid utf-8")) {
      return "bytes that are not UTF-8 text";
    }
    if (m.contains("out of range")) {
      return "a number too large";
    }
    if (m.startsWith("content after the end")) {
      return "content after the end of the document; a file holds exactly one JSON object";
    }
    if (m.startsWith("no json value")) {
      return "no JSON value in the document";
    }
    if (m.startsWith("unexpected character")) {
      return "a character that does not belong here (a missing comma, colon or quote?)";
    }
    return "malformed JSON";
  }

  /** The parser's position as {@code $.a.b[2]}; null at the top level. */
  private static String path(JsonStreamContext context) {
    Deque<JsonStreamContext> levels = new ArrayDeque<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      levels.push(c);
    }
    if (levels.isEmpty()) {
      return null;
    }
    String path = "$";
    for (JsonStreamContext c : levels) {
      if (c.inArray()) {
        path += "[" + Math.max(0, c.getCurrentIndex()) + "]";
      } else if (c.getCurrentName() != null) {
        path = JsonTrees.child(path, c.getCurrentName());
      }
    }
    return path;
  }
}
