package kr.codeb.ssot.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kr.codeb.AuthException;
import kr.codeb.Checks;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.RateLimitedException;
import kr.codeb.UnavailableException;
import kr.codeb.UnsupportedFeatureException;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.ProjectPorts;
import kr.codeb.ports.RegistryEdit;
import kr.codeb.ports.SlotPorts;

/**
 * The JSON of the group commit's queue files (see {@link EditQueue}): a request holds one
 * {@link RegistryEdit}, an answer holds its outcome or the error it failed with. Flat objects of
 * strings, integers, booleans and integer arrays, on jackson-core's streaming API.
 *
 * <pre>
 * {"format":"codeb-ssot-edit","version":1,"id":"..","posted":1764160000000123,
 *  "edit":"allocate","project":"acme","environment":"production","portsInUse":[4105]}
 * {"format":"codeb-ssot-answer","version":1,"id":"..","created":true,"blue":4104,"green":4105}
 * {"format":"codeb-ssot-answer","version":1,"id":"..","released":true}
 * {"format":"codeb-ssot-answer","version":1,"id":"..","error":"conflict","message":".."}
 * </pre>
 *
 * Reading refuses anything else (unknown fields, a wrong type, a newer version) with an
 * {@link InvalidRequestException} naming the problem. Instances are immutable and thread-safe.
 */
public final class EditCodec {
  static final String REQUEST_FORMAT = "codeb-ssot-edit";
  static final String ANSWER_FORMAT = "codeb-ssot-answer";
  static final int VERSION = 1;
  /**
   * A request or answer is a few hundred bytes; one listing all 65535 ports as in use would
   * take ~400 KB. Anything larger is not one of ours.
   */
  public static final int MAX_BYTES = 1 << 20;

  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private EditCodec() {}

  /** A decoded request: who posted it, when, and the edit. */
  public record Request(String id, long postedMicros, RegistryEdit<?> edit) {}

  /** A decoded answer: the outcome, or the failure to rethrow. */
  public record Answer(String id, Object outcome, CodeBException failure) {}

  /**
   * Whether the edit can be queued for another process: allocations and releases. A repair is
   * rare and carries no small description, so its caller applies it under the lock itself.
   */
  public static boolean queueable(RegistryEdit<?> edit) {
    return edit instanceof RegistryEdit.Allocate || edit instanceof RegistryEdit.Release;
  }

  public static byte[] request(String id, long postedMicros, RegistryEdit<?> edit) {
    return write(g -> {
      header(g, REQUEST_FORMAT, id);
      g.writeNumberField("posted", postedMicros);
      if (edit instanceof RegistryEdit.Allocate a) {
        g.writeStringField("edit", "allocate");
        names(g, a.project(), a.environment());
        g.writeArrayFieldStart("portsInUse");
        for (int port : a.portsInUse()) {
          g.writeNumber(port);
        }
        g.writeEndArray();
      } else if (edit instanceof RegistryEdit.Release r) {
        g.writeStringField("edit", "release");
        names(g, r.project(), r.environment());
      } else {
        throw new IllegalArgumentException("no request format for " + edit);
      }
    });
  }

  /** The answer to an edit that succeeded with {@code outcome}. */
  public static byte[] success(String id, RegistryEdit<?> edit, Object outcome) {
    return write(g -> {
      header(g, ANSWER_FORMAT, id);
      if (edit instanceof RegistryEdit.Allocate) {
        ProjectPorts p = (ProjectPorts) outcome;
        g.writeBooleanField("created", p.created());
        g.writeNumberField("blue", p.ports().blue());
        g.writeNumberField("green", p.ports().green());
      } else if (edit instanceof RegistryEdit.Release) {
        g.writeBooleanField("released", (Boolean) outcome);
      } else {
        throw new IllegalArgumentException("no answer format for " + edit);
      }
    });
  }

  /** The answer to an edit that failed. */
  public static byte[] failure(String id, CodeBException error) {
    return write(g -> {
      header(g, ANSWER_FORMAT, id);
      g.writeStringField("error", error.kind());
      g.writeStringField("message", String.valueOf(error.getMessage()));
      if (error.provider().isPresent()) {
        g.writeStringField("provider", error.provider().get());
      }
    });
  }

  /**
   * A request file's content.
   *
   * @throws InvalidRequestException naming what is wrong (malformed JSON, an unknown field, a
   *     wrong type, an id other than the file's, a bad project or environment name, a port)
   */
  public static Request readRequest(String expectedId, byte[] bytes) {
    Map<String, Object> f = fields(bytes);
    checkHeader(f, REQUEST_FORMAT, expectedId);
    long posted = number(f, "posted");
    String kind = text(f, "edit");
    ProjectName project = ProjectName.of(text(f, "project"));
    Environment env = Environment.of(text(f, "environment"));
    RegistryEdit<?> edit;
    switch (kind) {
      case "allocate": {
        Set<Integer> ports = new LinkedHashSet<>();
        for (long port : numbers(f, "portsInUse")) {
          ports.add((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, port)));
        }
        edit = new RegistryEdit.Allocate(project, env, ports);
        onlyFields(f, "format", "version", "id", "posted", "edit", "project", "environment",
            "portsInUse");
        break;
      }
      case "release":
        edit = new RegistryEdit.Release(project, env);
        onlyFields(f, "format", "version", "id", "posted", "edit", "project", "environment");
        break;
      default:
        throw new InvalidRequestException("unknown edit " + Checks.quote(kind)
            + "; known: allocate, release");
    }
    return new Request(expectedId, posted, edit);
  }

  /**
   * An answer file's content, for the edit it answers.
   *
   * @throws InvalidRequestException naming what is wrong
   */
  public static Answer readAnswer(String expectedId, RegistryEdit<?> edit, byte[] bytes) {
    Map<String, Object> f = fields(bytes);
    checkHeader(f, ANSWER_FORMAT, expectedId);
    if (f.containsKey("error")) {
      onlyFields(f, "format", "version", "id", "error", "message", "provider");
      String provider = f.containsKey("provider") ? text(f, "provider") : null;
      return new Answer(expectedId, null,
          failure(text(f, "error"), text(f, "message"), provider));
    }
    if (edit instanceof RegistryEdit.Allocate a) {
      onlyFields(f, "format", "version", "id", "created", "blue", "green");
      SlotPorts ports = new SlotPorts(port(f, "blue"), port(f, "green"));
      return new Answer(expectedId, new ProjectPorts(a.project(), a.environment(), ports,
          bool(f, "created")), null);
    }
    onlyFields(f, "format", "version", "id", "released");
    return new Answer(expectedId, bool(f, "released"), null);
  }

  /** The recorded error as the exception type it was, with its message. */
  private static CodeBException failure(String kind, String message, String provider) {
    switch (kind) {
      case "invalid-request":
        return new InvalidRequestException(message, provider, 0, null);
      case "conflict":
        return new ConflictException(message, provider, 0, null);
      case "not-found":
        return new NotFoundException(message, provider, 0, null);
      case "unavailable":
        return new UnavailableException(message, provider, 0, null);
      case "auth":
        return new AuthException(message, provider, 0, null);
      case "rate-limited":
        return new RateLimitedException(message, provider, 0, null);
      case "unsupported":
        return new UnsupportedFeatureException(message, provider, 0, null);
      default:
        throw new InvalidRequestException("unknown error kind " + Checks.quote(kind));
    }
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("could not write JSON to memory", e);
    }
    return out.toByteArray();
  }

  private static void header(JsonGenerator g, String format, String id) throws IOException {
    g.writeStringField("format", format);
    g.writeNumberField("version", VERSION);
    g.writeStringField("id", id);
  }

  private static void names(JsonGenerator g, ProjectName project, Environment environment)
      throws IOException {
    g.writeStringField("project", project.value());
    g.writeStringField("environment", environment.name());
  }

  private static void checkHeader(Map<String, Object> f, String format, String expectedId) {
    if (!format.equals(f.get("format"))) {
      throw new InvalidRequestException("'format' is " + shown(f.get("format")) + ", not "
          + Checks.quote(format));
    }
    long version = number(f, "version");
    if (version != VERSION) {
      throw new InvalidRequestException("'version' is " + version + "; this CodeB reads version "
          + VERSION + " (written by another CodeB version?)");
    }
    String id = text(f, "id");
    if (!id.equals(expectedId)) {
      throw new InvalidRequestException("'id' is " + Checks.quote(id) + " but the file is named "
          + "for " + Checks.quote(expectedId));
    }
  }

  /** The top-level object's fields: String, Long, Boolean, or List of Long. */
  private static Map<String, Object> fields(byte[] bytes) {
    if (bytes.length > MAX_BYTES) {
      throw new InvalidRequestException(bytes.length + " bytes, more than the " + MAX_BYTES
          + " a queue file may have");
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    try (JsonParser p = JSON.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidRequestException("not a JSON object");
      }
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        String name = p.currentName();
        fields.put(name, value(p, name, p.nextToken()));
      }
      if (p.nextToken() != null) {
        throw new InvalidRequestException("content after the JSON object");
      }
    } catch (IOException e) {
      // JsonProcessingException's message names the line and column.
      throw new InvalidRequestException("not valid JSON: " + e.getMessage(), e);
    }
    return fields;
  }

  private static Object value(JsonParser p, String name, JsonToken t) throws IOException {
    switch (t) {
      case VALUE_STRING:
        return p.getText();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NUMBER_INT:
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          throw new InvalidRequestException("'" + name + "' is out of range: " + p.getText());
        }
        return p.getLongValue();
      case START_ARRAY: {
        List<Long> numbers = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          if (e != JsonToken.VALUE_NUMBER_INT
              || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new InvalidRequestException("'" + name + "' must hold port numbers only");
          }
          numbers.add(p.getLongValue());
        }
        return numbers;
      }
      default:
        throw new InvalidRequestException("'" + name + "' has a value of an unexpected type ("
            + t + ")");
    }
  }

  private static void onlyFields(Map<String, Object> f, String... allowed) {
    Set<String> unknown = new LinkedHashSet<>(f.keySet());
    unknown.removeAll(List.of(allowed));
    if (!unknown.isEmpty()) {
      throw new InvalidRequestException("unknown field(s) " + unknown + "; allowed: "
          + String.join(", ", allowed));
    }
  }

  private static String text(Map<String, Object> f, String name) {
    Object v = f.get(name);
    if (!(v instanceof String s)) {
      throw new InvalidRequestException("'" + name + "' must be a string, not " + shown(v));
    }
    return s;
  }

  private static long number(Map<String, Object> f, String name) {
    Object v = f.get(name);
    if (!(v instanceof Long n)) {
      throw new InvalidRequestException("'" + name + "' must be an integer, not " + shown(v));
    }
    return n;
  }

  private static int port(Map<String, Object> f, String name) {
    long n = number(f, name);
    return Checks.port("'" + name + "'", (int) Math.max(0, Math.min(Integer.MAX_VALUE, n)));
  }

  private static boolean bool(Map<String, Object> f, String name) {
    Object v = f.get(name);
    if (!(v instanceof Boolean b)) {
      throw new InvalidRequestException("'" + name + "' must be true or false, not " + shown(v));
    }
    return b;
  }

  @SuppressWarnings("unchecked")
  private static List<Long> numbers(Map<String, Object> f, String name) {
    Object v = f.get(name);
    if (!(v instanceof List<?>)) {
      throw new InvalidRequestException("'" + name + "' must be an array of ports, not "
          + shown(v));
    }
    return (List<Long>) v;
  }

  private static String shown(Object v) {
    return v == null ? "missing" : v instanceof String s ? Checks.quote(s) : String.valueOf(v);
  }
}
