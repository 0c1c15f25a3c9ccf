package kr.codeb.ssotserver.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.UnavailableException;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.ProjectPorts;
import kr.codeb.ports.Registry;
import kr.codeb.ports.RegistryEdit;
import kr.codeb.ports.SsotStore;
import kr.codeb.ssot.SsotDocument;
import kr.codeb.ssotserver.ServerTokens;
import kr.codeb.ssotserver.SsotServerConfig;
import kr.codeb.ssotserver.TokenInfo;
import kr.codeb.ssotserver.TokenScope;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** The endpoints of {@link kr.codeb.ssotserver.SsotServer} (see there for what they answer). */
public final class ApiHandler extends Handler.Abstract {
  private static final long DRAIN_BYTES = 1 << 20;

  private final SsotServerConfig config;
  private final SsotStore store;
  private final PortOperations ports;
  private final ServerTokens tokens;
  private final Consumer<String> writeLog;
  private final RateLimiterConfig rate;
  private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
  /** Compare (If-Match) and write as one step for every writer through this server. */
  private final ReentrantLock writes = new ReentrantLock();

  public ApiHandler(SsotServerConfig config, SsotStore store, ServerTokens tokens,
      Consumer<String> writeLog) {
    this.config = config;
    this.store = store;
    this.ports = new PortOperations(store);
    this.tokens = tokens;
    this.writeLog = writeLog;
    this.rate = RateLimiterConfig.custom().limitForPeriod(config.requestsPerSecond())
        .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).build();
  }

  /** An answer to send: status, JSON body, extra headers. */
  record Answer(int status, String body, Map<String, String> headers) {
    Answer(int status, ObjectNode body, Map<String, String> headers) {
      this(status, Json.write(body) + "\n", headers);
    }

    static Answer ok(ObjectNode body) {
      return new Answer(200, body, Map.of());
    }
  }

  /** A 4xx/5xx to answer at once. */
  static final class Refusal extends RuntimeException {
    final int status;
    final String kind;
    final Map<String, String> headers;

    Refusal(int status, String kind, String message) {
      this(status, kind, message, Map.of());
    }

    Refusal(int status, String kind, String message, Map<String, String> headers) {
      super(message, null, false, false);
      this.status = status;
      this.kind = kind;
      this.headers = headers;
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Answer answer;
    try {
      answer = route(request);
    } catch (Refusal r) {
      answer = new Answer(r.status, Json.error(r.kind, r.getMessage()), r.headers);
    } catch (InvalidRequestException e) {
      answer = new Answer(400, Json.error(e.kind(), e.getMessage()), Map.of());
    } catch (NotFoundException e) {
      answer = new Answer(404, Json.error(e.kind(), e.getMessage()), Map.of());
    } catch (ConflictException e) {
      answer = new Answer(409, Json.error(e.kind(), e.getMessage()), Map.of());
    } catch (UnavailableException e) {
      answer = new Answer(503, Json.error(e.kind(), e.getMessage()), Map.of());
    } catch (CodeBException e) {
      answer = new Answer(500, Json.error(e.kind(), e.getMessage()), Map.of());
    } catch (RuntimeException e) {
      answer = new Answer(500, Json.error("internal", "an unexpected internal error"), Map.of());
    }
    response.setStatus(answer.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    answer.headers().forEach((k, v) -> response.getHeaders().put(k, v));
    Content.Sink.write(response, true, answer.body(), callback);
    return true;
  }

  private Answer route(Request request) {
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    switch (path) {
      case "/healthz":
        requireMethod(method, "GET");
        return Answer.ok(Json.object().put("status", "ok"));
      case "/api/port/get": {
        requireMethod(method, "GET");
        authorize(request, TokenScope.READ);
        Fields query = Request.extractQueryParameters(request);
        ProjectName project = new ProjectName(required(query, "project"));
        Environment env = new Environment(required(query, "environment"));
        ProjectPorts p = ports.ports(project, env).orElseThrow(() -> new Refusal(404,
            "not-found", project + " has no ports in " + env.name()));
        return Answer.ok(Json.ports(p));
      }
      case "/api/ssot": {
        requireMethod(method, "GET");
        authorize(request, TokenScope.READ);
        Registry r = store.read();
        return new Answer(200, Json.registry(r), Map.of("ETag", etag(r)));
      }
      case "/api/ssot/document": {
        requireMethod(method, "GET");
        authorize(request, TokenScope.READ);
        Registry r = store.read();
        String document = new String(SsotDocument.of(r, "the SSOT").bytes(),
            StandardCharsets.UTF_8);
        return new Answer(200, document, Map.of("ETag", etag(r)));
      }
      case "/api/check": {
        requireMethod(method, "GET");
        authorize(request, TokenScope.READ);
        return Answer.ok(Json.findings(PortOperations.check(store.read())));
      }
      case "/api/port/allocate":
      case "/api/port/release":
        requireMethod(method, "POST");
        return write(request, path.substring(path.lastIndexOf('/') + 1));
      case "/api/ssot/repair":
        requireMethod(method, "POST");
        return write(request, "repair");
      default:
        throw new Refusal(404, "not-found", "no such endpoint; see GET /healthz, /api/port/get,"
            + " /api/ssot, /api/ssot/document, /api/check, POST /api/port/allocate,"
            + " /api/port/release, /api/ssot/repair");
    }
  }

  private Answer write(Request request, String action) {
    boolean repair = action.equals("repair");
    // The body first (bounded), also before a 401: an answer sent before the client finished
    // sending makes Jetty close the connection, which the client may see instead of the answer.
    byte[] body = body(request);
    TokenInfo token = authorize(request, repair ? TokenScope.REPAIR : TokenScope.ALLOCATE);
    String ifMatch = request.getHeaders().get(HttpHeader.IF_MATCH);
    if (ifMatch == null || ifMatch.isBlank()) {
      throw new Refusal(428, "invalid-request", "a write needs If-Match: the ETag of"
          + " GET /api/ssot (or * for any revision)");
    }
    // A repair has no target: its log line names no project.
    Json.Target target = repair ? null : Json.target(body, action.equals("allocate"));
    boolean dropUnclaimed = repair && Json.dropUnclaimed(body);
    writes.lock();
    try {
      // "*" matches any revision: no read is needed to compare.
      Registry before = ifMatch.strip().equals("*") ? null : store.read();
      if (before != null && !matches(ifMatch, before)) {
        log(token, request, action, target, 412, before);
        throw new Refusal(412, "conflict", "the registry changed since that revision: read it"
            + " again (GET /api/ssot) and retry", Map.of("ETag", etag(before)));
      }
      ObjectNode answer;
      if (repair) {
        answer = Json.repair(store.apply(new RegistryEdit.Repair(dropUnclaimed)));
      } else if (action.equals("allocate")) {
        answer = Json.ports(store.apply(new RegistryEdit.Allocate(target.project(),
            target.environment(), target.portsInUse())));
      } else {
        answer = Json.object().put("project", target.project().value())
            .put("environment", target.environment().name())
            .put("released", store.apply(
                new RegistryEdit.Release(target.project(), target.environment())));
      }
      Registry after = store.read();
      log(token, request, action, target, 200, after);
      return new Answer(200, answer, Map.of("ETag", etag(after)));
    } catch (CodeBException e) {
      log(token, request, action, target, e instanceof ConflictException ? 409 : 400, null);
      throw e;
    } finally {
      writes.unlock();
    }
  }

  private byte[] body(Request request) {
    long length = request.getLength();
    try (InputStream in = Content.Source.asInputStream(request)) {
      if (length > config.maxBodyBytes()) {
        throw tooLarge(in);
      }
      byte[] bytes = in.readNBytes(config.maxBodyBytes() + 1);
      if (bytes.length > config.maxBodyBytes()) {
        throw tooLarge(in);
      }
      return bytes;
    } catch (java.io.IOException e) {
      throw new Refusal(400, "invalid-request", "the body could not be read");
    }
  }

  /**
   * The 413 for a body over the limit, after reading (and dropping) up to {@link #DRAIN_BYTES}
   * of it: a client still sending when the server answers and closes would see its connection
   * reset instead of the answer. Beyond that the connection is closed mid-body.
   */
  private Refusal tooLarge(InputStream in) throws java.io.IOException {
    byte[] sink = new byte[8192];
    long left = DRAIN_BYTES;
    int read;
    while (left > 0 && (read = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
      left -= read;
    }
    return new Refusal(413, "invalid-request", "the body is larger than "
        + config.maxBodyBytes() + " bytes");
  }

  private TokenInfo authorize(Request request, TokenScope scope) {
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
        ? header.substring(7).strip() : null;
    Optional<TokenInfo> token = presented == null ? Optional.empty() : tokens.verify(presented);
    if (token.isEmpty()) {
      throw new Refusal(401, "auth", presented == null
          ? "no token: send Authorization: Bearer TOKEN (`we ssot token create`)"
          : "unknown token", Map.of("WWW-Authenticate", "Bearer realm=\"codeb-ssot\""));
    }
    TokenInfo t = token.get();
    RateLimiter limiter = limiters.computeIfAbsent(t.name(), n -> RateLimiter.of(n, rate));
    if (!limiter.acquirePermission()) {
      throw new Refusal(429, "rate-limited", "token " + t.name() + " sent more than "
          + config.requestsPerSecond() + " requests in a second", Map.of("Retry-After", "1"));
    }
    if (!t.allows(scope)) {
      throw new Refusal(403, "auth", "token " + t.name() + " lacks the " + scope.id()
          + " scope");
    }
    return t;
  }

  private static void requireMethod(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw new Refusal(405, "invalid-request", "use " + allowed, Map.of("Allow", allowed));
    }
  }

  private static String required(Fields query, String name) {
    String value = query.getValue(name);
    if (value == null || value.isEmpty()) {
      throw new Refusal(400, "invalid-request", "query parameter '" + name + "' is missing");
    }
    return value;
  }

  private static boolean matches(String ifMatch, Registry current) {
    for (String part : ifMatch.split(",")) {
      String tag = part.strip();
      if (tag.equals("*") || tag.equals(etag(current))) {
        return true;
      }
    }
    return false;
  }

  static String etag(Registry r) {
    return "\"" + r.revision().value() + "\"";
  }

  private void log(TokenInfo token, Request request, String action, Json.Target target,
      int status, Registry after) {
    ObjectNode line = Json.object();
    line.put("time", Instant.now().toString());
    line.put("token", token.name());
    line.put("remote", Request.getRemoteAddr(request));
    line.put("action", action);
    if (target != null) {
      line.put("project", target.project().value());
      line.put("environment", target.environment().name());
    }
    line.put("status", status);
    if (after != null) {
      line.put("revision", after.revision().value());
    }
    writeLog.accept(Json.write(line));
  }
}
