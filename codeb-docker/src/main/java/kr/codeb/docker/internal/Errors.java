package kr.codeb.docker.internal;

import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Collection;
import java.util.Locale;
import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.UnavailableException;

/**
 * Turns docker-java failures into the CodeB family, with provider id {@code docker} and the
 * engine's HTTP status. Messages say what was being done and where; any secret handed in is
 * blanked out of them.
 */
public final class Errors {
  static final String PROVIDER = "docker";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Errors() {}

  /**
   * Maps {@code e}, thrown while doing {@code what} (e.g. "pulling image x") on the engine at
   * {@code where}. {@code secrets} are removed from the message.
   */
  public static CodeBException map(RuntimeException e, String what, String where,
      Collection<String> secrets) {
    return map(e, what, where, secrets, EngineDialect.DOCKER);
  }

  /** The same for an engine of another dialect: its provider id, its mappings first. */
  public static CodeBException map(RuntimeException e, String what, String where,
      Collection<String> secrets, EngineDialect dialect) {
    if (e instanceof CodeBException c) {
      return c;
    }
    String provider = dialect.provider();
    String detail = scrub(engineMessage(e), secrets);
    String message = what + " on " + provider + " at " + where + " failed: " + detail;
    // The engine's exception stays attached as the cause unless some message in it holds a secret.
    Throwable cause = mentions(e, secrets) ? null : e;
    if (e instanceof DockerException d) {
      int status = d.getHttpStatus();
      var special = dialect.classify(status, detail, message, cause);
      if (special.isPresent()) {
        return special.get();
      }
      return switch (status) {
        case 400 -> new InvalidRequestException(message, provider, status, cause);
        case 401, 403 -> new AuthException(message, provider, status, cause);
        case 404 -> new NotFoundException(message, provider, status, cause);
        case 409 -> new ConflictException(message, provider, status, cause);
        default -> bySniffing(message, detail, status, cause, provider);
      };
    }
    if (e instanceof DockerClientException) {
      var special = dialect.classify(0, detail, message, cause);
      if (special.isPresent()) {
        return special.get();
      }
      return bySniffing(message, detail, 0, cause, provider);
    }
    return new UnavailableException("cannot reach " + provider + " at " + where + " (" + what
        + "): " + scrub(reason(e), secrets), provider, 0, cause);
  }

  /** Dockerd reports registry failures of a pull as 500s or stream errors: read the text. */
  private static CodeBException bySniffing(String message, String detail, int status,
      Throwable cause, String provider) {
    String lower = detail.toLowerCase(Locale.ROOT);
    if (lower.contains("unauthorized") || lower.contains("authentication required")
        || lower.contains("no basic auth credentials") || lower.contains("denied: requested access")
        || lower.contains("access denied") || lower.contains("access to the resource is denied")) {
      return new AuthException(message, provider, status, cause);
    }
    if (lower.contains("manifest unknown") || lower.contains("not found")
        || lower.contains("no such image")) {
      return new NotFoundException(message, provider, status, cause);
    }
    if (lower.contains("port is already allocated") || lower.contains("address already in use")) {
      return new ConflictException(message, provider, status, cause);
    }
    return new UnavailableException(message, provider, status, cause);
  }

  /**
   * The engine's own message: docker-java wraps the error body as
   * {@code Status 500: {"message":"..."}} (dockerd) or
   * {@code Status 500: {"cause":"...","message":"...","response":500}} (Podman).
   */
  static String engineMessage(RuntimeException e) {
    String m = String.valueOf(e.getMessage());
    int brace = m.indexOf('{');
    if (brace >= 0) {
      try {
        JsonNode body = JSON.readTree(m.substring(brace));
        if (body != null && body.path("message").isTextual()) {
          return body.get("message").asText().replace("\n", " ").strip();
        }
      } catch (IOException | RuntimeException notJson) {
        // fall through to the plain reading below
      }
    }
    int at = m.indexOf("\"message\":\"");
    if (at >= 0) {
      int start = at + 11;
      int end = m.indexOf("\"}", start);
      String inner = end > start ? m.substring(start, end) : m.substring(start);
      return inner.replace("\\\"", "\"").replace("\\n", " ").strip();
    }
    return m.strip();
  }

  /** A short reason for an I/O failure: the deepest cause's message. */
  static String reason(Throwable e) {
    Throwable t = e;
    String best = null;
    while (t != null) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        best = t.getClass().getSimpleName() + ": " + t.getMessage();
      }
      if (t.getCause() == t) {
        break;
      }
      t = t.getCause();
    }
    if (best == null) {
      return e.getClass().getSimpleName();
    }
    String lower = best.toLowerCase(Locale.ROOT);
    if (lower.contains("permission denied") || lower.contains("eacces")) {
      return "permission denied (" + best + ")";
    }
    if (lower.contains("connection refused") || lower.contains("econnrefused")) {
      return "connection refused (" + best + ")";
    }
    return best;
  }

  private static boolean mentions(Throwable e, Collection<String> secrets) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = String.valueOf(t.getMessage()) + " " + t;
      for (String s : secrets) {
        if (s != null && !s.isEmpty() && m.contains(s)) {
          return true;
        }
      }
    }
    return false;
  }

  static String scrub(String text, Collection<String> secrets) {
    String out = text;
    for (String s : secrets) {
      if (s != null && !s.isEmpty()) {
        out = out.replace(s, "***");
      }
    }
    return out;
  }
}
