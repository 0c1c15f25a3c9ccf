package kr.codeb.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import kr.codeb.ConflictException;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderInfo;
import kr.codeb.UnavailableException;
import kr.codeb.proxy.HostConflict;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.Maintenance;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;

/**
 * A reverse proxy in memory, for tests, demos and jshell. Routes live in this JVM; handles made
 * by {@link #reopen()} share them. Optionally it really forwards traffic: {@link #listening}
 * starts an HTTP/1.1 listener on a loopback port that sends each request, chosen by its
 * {@code Host} header, to the route's upstream (round robin over a route's several upstreams,
 * as Caddy balances one project on several app servers; with {@link HttpClient}); a host no route
 * serves gets a 404, an upstream that does not answer a 502. The upstream sees its own address
 * as {@code Host}; the original one is passed in {@code X-Forwarded-Host}.
 */
public final class MemReverseProxy implements ReverseProxy {
  /** Headers that belong to one connection or that {@link HttpClient} will not set. */
  private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length",
      "expect", "upgrade", "keep-alive", "transfer-encoding", "te", "trailer",
      "proxy-connection", "proxy-authorization", "proxy-authenticate", "date");

  private final Table table;
  private final String name;
  private final HttpServer listener;
  private final ExecutorService workers;
  private final HttpClient client;

  private MemReverseProxy(Table table, String name, HttpServer listener, ExecutorService workers,
      HttpClient client) {
    this.table = table;
    this.name = name;
    this.listener = listener;
    this.workers = workers;
    this.client = client;
  }

  /** A proxy that only keeps routes (no traffic). */
  public static MemReverseProxy create() {
    return new MemReverseProxy(new Table(), "anonymous", null, null, null);
  }

  /**
   * A proxy that keeps routes and forwards traffic, listening on {@code 127.0.0.1:port}
   * ({@code 0} picks a free port; see {@link #endpoint()}).
   */
  public static MemReverseProxy listening(int port) {
    return open(new Table(), "anonymous", port);
  }

  static MemReverseProxy open(Table table, String name, Integer port) {
    if (port == null) {
      return new MemReverseProxy(table, name, null, null, null);
    }
    ExecutorService workers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "mem-proxy-" + name);
      t.setDaemon(true);
      return t;
    });
    HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(workers)
        .build();
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    } catch (IOException e) {
      workers.shutdownNow();
      throw new UnavailableException("mem: proxy could not listen on 127.0.0.1:" + port + ": "
          + e.getMessage(), "mem", 0, e);
    }
    MemReverseProxy proxy = new MemReverseProxy(table, name, server, workers, client);
    server.createContext("/", proxy::forward);
    server.setExecutor(workers);
    server.start();
    return proxy;
  }

  /** Another handle on the same routes (without a listener of its own). */
  public MemReverseProxy reopen() {
    return new MemReverseProxy(table, name, null, null, null);
  }

  /** Where traffic goes in, when this handle listens. */
  public Optional<URI> endpoint() {
    return listener == null ? Optional.empty()
        : Optional.of(URI.create("http://127.0.0.1:" + listener.getAddress().getPort()));
  }

  @Override
  public ProviderInfo info() {
    return new ProviderInfo("mem", "mem:" + name + endpoint().map(u -> " listening on " + u).orElse(""));
  }

  @Override
  public List<Route> routes() {
    synchronized (table) {
      return List.copyOf(table.routes.values());
    }
  }

  @Override
  public Optional<Route> route(String id) {
    synchronized (table) {
      return Optional.ofNullable(table.routes.get(id));
    }
  }

  @Override
  public void upsert(Route route) {
    Objects.requireNonNull(route, "route");
    synchronized (table) {
      List<HostConflict> conflicts = hostConflicts(route.id(), route.hosts());
      if (!conflicts.isEmpty()) {
        throw new ConflictException(conflicts.get(0).describe()
            + "; remove it from that route first", "mem", 0, null);
      }
      table.routes.put(route.id(), route);
    }
  }

  @Override
  public void switchUpstream(String routeId, Upstream to) {
    Objects.requireNonNull(to, "to");
    synchronized (table) {
      Route route = table.routes.get(routeId);
      if (route == null) {
        throw new NotFoundException("no route " + routeId + " in mem:" + name, "mem", 0, null);
      }
      table.routes.put(routeId, route.withUpstream(to));
    }
  }

  /** Several upstreams are taken; {@link #listening} handles send requests round robin. */
  @Override
  public void switchUpstreams(String routeId, List<Upstream> to) {
    List<Upstream> checked = Route.requireUpstreams(routeId, to);
    synchronized (table) {
      Route route = table.routes.get(routeId);
      if (route == null) {
        throw new NotFoundException("no route " + routeId + " in mem:" + name, "mem", 0, null);
      }
      table.routes.put(routeId, route.withUpstreams(checked));
    }
  }

  @Override
  public boolean remove(String routeId) {
    synchronized (table) {
      table.maintenance.remove(routeId);
      return table.routes.remove(routeId) != null;
    }
  }

  @Override
  public void maintenanceOn(String routeId, Maintenance mode) {
    Objects.requireNonNull(mode, "mode");
    synchronized (table) {
      requireRoute(routeId);
      table.maintenance.put(routeId, mode);
    }
  }

  @Override
  public boolean maintenanceOff(String routeId) {
    synchronized (table) {
      requireRoute(routeId);
      return table.maintenance.remove(routeId) != null;
    }
  }

  @Override
  public Optional<Maintenance> maintenance(String routeId) {
    synchronized (table) {
      requireRoute(routeId);
      return Optional.ofNullable(table.maintenance.get(routeId));
    }
  }

  private void requireRoute(String routeId) {
    if (!table.routes.containsKey(Objects.requireNonNull(routeId, "routeId"))) {
      throw new NotFoundException("no route " + routeId + " in mem:" + name, "mem", 0, null);
    }
  }

  /** Stops this handle's listener, if it has one; the routes stay for other handles. */
  @Override
  public void close() {
    if (listener != null) {
      listener.stop(0);
      workers.shutdownNow();
    }
  }

  private Optional<Route> routeFor(String host) {
    synchronized (table) {
      for (Route route : table.routes.values()) {
        if (route.hosts().contains(host)) {
          return Optional.of(route);
        }
      }
      return Optional.empty();
    }
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      String hostHeader = exchange.getRequestHeaders().getFirst("Host");
      String host = hostOnly(hostHeader == null ? "" : hostHeader);
      byte[] requestBody = exchange.getRequestBody().readAllBytes();
      Optional<Route> route = routeFor(host);
      if (route.isEmpty()) {
        reply(exchange, 404, "no route for host " + host + "\n");
        return;
      }
      Maintenance down;
      synchronized (table) {
        down = table.maintenance.get(route.get().id());
      }
      if (down != null) {
        byte[] page = down.page().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().set("Retry-After",
            String.valueOf(down.retryAfter().toSeconds()));
        exchange.sendResponseHeaders(503, page.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(page);
        }
        return;
      }
      List<Upstream> all = route.get().upstreams();
      Optional<Upstream> upstream = Optional.of(all.get(
          (int) Math.floorMod(table.turn.getAndIncrement(), (long) all.size())));
      HttpRequest.Builder request = HttpRequest.newBuilder(
              URI.create("http://" + upstream.get().dial() + exchange.getRequestURI()))
          .timeout(Duration.ofSeconds(60))
          .method(exchange.getRequestMethod(), requestBody.length == 0
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(requestBody));
      exchange.getRequestHeaders().forEach((key, values) -> {
        if (!NOT_FORWARDED.contains(key.toLowerCase(Locale.ROOT))) {
          values.forEach(v -> request.header(key, v));
        }
      });
      if (hostHeader != null) {
        request.header("X-Forwarded-Host", hostHeader);
      }
      HttpResponse<byte[]> response;
      try {
        response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        reply(exchange, 502, "upstream " + upstream.get().dial() + " failed: " + e + "\n");
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        reply(exchange, 502, "interrupted\n");
        return;
      }
      response.headers().map().forEach((key, values) -> {
        if (!NOT_FORWARDED.contains(key.toLowerCase(Locale.ROOT)) && !key.startsWith(":")) {
          exchange.getResponseHeaders().put(key, new ArrayList<>(values));
        }
      });
      byte[] body = response.body();
      boolean noBody = exchange.getRequestMethod().equalsIgnoreCase("HEAD")
          || response.statusCode() == 204 || response.statusCode() == 304;
      exchange.sendResponseHeaders(response.statusCode(), noBody || body.length == 0 ? -1 : body.length);
      if (!noBody && body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static void reply(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** The host of a Host header: lower case, without the port or a trailing dot. */
  static String hostOnly(String header) {
    String host = header.trim().toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      return close < 0 ? host : host.substring(0, close + 1);
    }
    int colon = host.lastIndexOf(':');
    if (colon >= 0) {
      host = host.substring(0, colon);
    }
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }

  /** The routes, shared by all handles on one mem: proxy. */
  static final class Table {
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final Map<String, Maintenance> maintenance = new LinkedHashMap<>();
    /** The round-robin turn over a route's upstreams. */
    private final java.util.concurrent.atomic.AtomicLong turn =
        new java.util.concurrent.atomic.AtomicLong();
  }
}
