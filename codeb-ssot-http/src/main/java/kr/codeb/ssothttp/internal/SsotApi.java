package kr.codeb.ssothttp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;
import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.Secret;
import kr.codeb.UnavailableException;
import kr.codeb.http.ApiAnswer;
import kr.codeb.http.ApiCall;
import kr.codeb.http.ApiClient;
import kr.codeb.http.ApiFailure;
import kr.codeb.http.ApiSettings;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.ProjectPorts;
import kr.codeb.ports.Registry;
import kr.codeb.ports.Revision;
import kr.codeb.ports.SlotPorts;
import kr.codeb.ssot.SsotDocument;

/**
 * The calls of the {@code http(s)://} store to {@code we ssot serve}, on codeb-http's
 * {@link ApiClient}: its timeouts, its bounded retries of idempotent calls (every call here is
 * one: a read, or an edit that is idempotent by the contract of {@code RegistryEdit}), and its
 * redaction of the token from every message. The client is built on the first call, so that
 * opening a store does no I/O. Thread-safe.
 */
public final class SsotApi implements AutoCloseable {
  public static final String PROVIDER = "ssot-http";
  /** The longest one attempt may take: a write waits for the server's lock behind others. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServerLocation location;
  private final Optional<Secret> token;
  private ApiClient client;
  private boolean closed;

  public SsotApi(ServerLocation location, Optional<Secret> token) {
    this.location = location;
    this.token = token;
  }

  /** The server as messages name it. */
  public String where() {
    return "the SSOT server at " + location.base();
  }

  /** A registry as read, with the revision of the server's {@code ETag}. */
  public record Fetched(Registry registry, String etag) {}

  /** {@code GET /api/ssot/document}. */
  public Fetched document() {
    ApiAnswer answer = send(ApiCall.get("/api/ssot/document"));
    String etag = answer.header("ETag").map(String::strip).filter(t -> t.length() > 2
        && t.startsWith("\"") && t.endsWith("\"")).orElseThrow(() -> notOurs(
            "GET /api/ssot/document", "an answer without the registry's ETag"));
    requireJson(answer, "GET /api/ssot/document");
    Registry registry = SsotDocument.parse(answer.body(), where()).registry();
    return new Fetched(registry.withRevision(new Revision(etag.substring(1, etag.length() - 1))),
        etag);
  }

  /** {@code POST /api/port/allocate} for the edit, applied to the registry as stored then. */
  public ProjectPorts allocate(ProjectName project, Environment environment,
      java.util.Set<Integer> portsInUse) {
    ObjectNode body = target(project, environment);
    ArrayNode ports = body.putArray("portsInUse");
    portsInUse.forEach(ports::add);
    JsonNode answer = json(write("/api/port/allocate", body, "*"), "POST /api/port/allocate");
    return new ProjectPorts(project, environment,
        new SlotPorts(integer(answer, "blue"), integer(answer, "green")),
        bool(answer, "created", "POST /api/port/allocate"));
  }

  /** {@code POST /api/port/release}. */
  public boolean release(ProjectName project, Environment environment) {
    JsonNode answer = json(write("/api/port/release", target(project, environment), "*"),
        "POST /api/port/release");
    return bool(answer, "released", "POST /api/port/release");
  }

  /**
   * {@code POST /api/ssot/repair} if the registry is still {@code etag}: true when the server
   * stored it, false when the registry had changed (412).
   */
  public boolean repairIfUnchanged(boolean dropUnclaimed, String etag) {
    ObjectNode body = JSON.createObjectNode().put("dropUnclaimed", dropUnclaimed);
    ApiAnswer answer = write("/api/ssot/repair", body, etag);
    if (answer.status() == 412) {
      return false;
    }
    requireJson(answer, "POST /api/ssot/repair");
    return true;
  }

  private ApiAnswer write(String path, ObjectNode body, String ifMatch) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("a tree of plain values always serialises", e);
    }
    // Idempotent: every edit applied again to its own result changes nothing, so a write whose
    // answer was lost may be sent again (its outcome then says "nothing to do").
    return send(ApiCall.send("POST", path, bytes, true).withHeader("If-Match", ifMatch)
        .accepting(412));
  }

  private static ObjectNode target(ProjectName project, Environment environment) {
    return JSON.createObjectNode().put("project", project.value())
        .put("environment", environment.name());
  }

  private ApiAnswer send(ApiCall call) {
    ApiClient api = client();
    try {
      return api.send(call);
    } catch (AuthException | UnavailableException e) {
      if (tlsFailure(e)) {
        String hint = "; if its certificate is from a private CA or self-signed, trust that"
            + " with ?ca=/path/ca.pem in the URI or " + ServerLocation.CA_VARIABLE + " (its host"
            + " name must match the URI's too)";
        throw e instanceof AuthException
            ? new AuthException(e.getMessage() + hint, PROVIDER, 0, e.getCause())
            : new UnavailableException(e.getMessage() + ": the TLS handshake failed" + hint,
                PROVIDER, 0, e.getCause());
      }
      throw e;
    }
  }

  private static boolean tlsFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return true;
      }
    }
    return false;
  }

  private synchronized ApiClient client() {
    if (closed) {
      throw new IllegalStateException("this SSOT store was closed");
    }
    if (token.isEmpty()) {
      throw new AuthException("no token for " + where() + ": set CODEB_SSOT_TOKEN to a token"
          + " made there with `we ssot token create NAME --scope read|allocate`", PROVIDER, 0,
          null);
    }
    if (client == null) {
      ApiSettings settings = ApiSettings.of(PROVIDER, "SSOT server", location.base(),
          CALL_TIMEOUT).withCredential("Authorization", "Bearer ", token.get());
      if (location.trustedCertificates().isPresent()) {
        settings = settings.withTrustedCertificates(location.trustedCertificates().get());
      }
      client = ApiClient.open(settings, SsotApi::failure);
    }
    return client;
  }

  /**
   * The server's refusals as CodeB's exceptions: 401 and 403 {@link AuthException}, 404
   * {@link NotFoundException}, 409 and 412 {@link ConflictException}, 429 and 5xx
   * {@link UnavailableException} (retryable: codeb-http tries again), any other 4xx
   * {@link InvalidRequestException}; each with the server's own message.
   */
  static CodeBException failure(ApiFailure f) {
    String text = f.text();
    switch (f.status()) {
      case 401:
        return new AuthException(text + " (check CODEB_SSOT_TOKEN: a token of `we ssot token"
            + " create` on that server, not revoked)", PROVIDER, 401, null);
      case 403:
        return new AuthException(text, PROVIDER, 403, null);
      case 404:
        return new NotFoundException(text, PROVIDER, 404, null);
      case 409:
      case 412:
        return new ConflictException(text, PROVIDER, f.status(), null);
      case 429:
        return new UnavailableException(text + ": rate-limited" + f.retryAfter().map(d ->
            " (it asked to wait " + d.toSeconds() + " s)").orElse("") + "; try again later, or"
            + " give each runner its own token (the limit is per token)", PROVIDER, 429, null);
      default:
        return f.status() >= 500 ? new UnavailableException(text, PROVIDER, f.status(), null)
            : new InvalidRequestException(text, PROVIDER, f.status(), null);
    }
  }

  private void requireJson(ApiAnswer answer, String what) {
    String type = answer.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    if (!type.startsWith("application/json")) {
      throw notOurs(what, type.isEmpty() ? "an answer without a Content-Type"
          : "an answer of type " + type.replaceAll("[^a-z0-9/;=. -]", "?"));
    }
  }

  private JsonNode json(ApiAnswer answer, String what) {
    requireJson(answer, what);
    try {
      JsonNode node = JSON.readTree(answer.body());
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (IOException e) {
      // below
    }
    throw notOurs(what, "an answer that is not a JSON object");
  }

  private InvalidRequestException notOurs(String what, String got) {
    return new InvalidRequestException(where() + " gave " + what + " " + got + ", not the SSOT"
        + " server's JSON: is this the address of `we ssot serve` (or a proxy in front of it)?",
        PROVIDER, 0, null);
  }

  private int integer(JsonNode answer, String field) {
    JsonNode v = answer.get(field);
    if (v == null || !v.isInt()) {
      throw notOurs("POST /api/port/allocate", "an answer without the integer '" + field + "'");
    }
    return v.intValue();
  }

  private boolean bool(JsonNode answer, String field, String what) {
    JsonNode v = answer.get(field);
    if (v == null || !v.isBoolean()) {
      throw notOurs(what, "an answer without the boolean '" + field + "'");
    }
    return v.booleanValue();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
