package kr.codeb.tck;

import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every part of {@link ReverseProxyContract} stands on: the proxy under test, the blue and
 * green upstreams started before each test, unique route ids and host names, the cleanup after
 * each test, and requests through the proxy. A proxy's test extends
 * {@link ReverseProxyContract} (or {@link ProxyMaintenanceContract}), not this.
 */
public abstract class ProxyContractFixtures {
  /** The domain the contract's hosts live under. */
  public static final String DOMAIN = "codeb-tck.test";

  private final String run = "tck-" + UUID.randomUUID().toString().substring(0, 8);
  private final AtomicInteger counter = new AtomicInteger();
  private final List<String> created = new CopyOnWriteArrayList<>();
  private HttpServer blueServer;
  private HttpServer greenServer;
  private Upstream blue;
  private Upstream green;

  /** The proxy under test. */
  protected abstract ReverseProxy proxy();

  /** Where plain-HTTP requests through the proxy go ({@code http://127.0.0.1:PORT}). */
  protected abstract URI trafficEndpoint();

  @BeforeEach
  final void startUpstreams() {
    blueServer = NamedUpstreams.start("blue");
    greenServer = NamedUpstreams.start("green");
    blue = NamedUpstreams.upstreamOf(blueServer);
    green = NamedUpstreams.upstreamOf(greenServer);
  }

  @AfterEach
  final void removeRoutesAndStopUpstreams() {
    try {
      for (String id : created) {
        try {
          proxy().remove(id);
        } catch (RuntimeException e) {
          System.err.println("ReverseProxyContract: could not remove route " + id + ": " + e);
        }
      }
    } finally {
      blueServer.stop(0);
      greenServer.stop(0);
    }
  }

  /** This test class's run prefix ({@code tck-<random>}): ids and names under it are unique. */
  final String run() {
    return run;
  }

  /** A new unique route id, removed after the test. */
  protected final String id() {
    String id = run + "-" + counter.incrementAndGet();
    created.add(id);
    return id;
  }

  /** The upstream answering {@code blue}. */
  protected final Upstream blue() {
    return blue;
  }

  /** The upstream answering {@code green}. */
  protected final Upstream green() {
    return green;
  }

  /** A new unique host name under {@link #DOMAIN}. */
  protected final String host() {
    return run + "-h" + counter.incrementAndGet() + "." + DOMAIN;
  }

  /** A new route (unique id, one unique host) to {@code to}. */
  final Route route(Upstream to) {
    return new Route(id(), List.of(host()), to);
  }

  /** What came back for a request: status and body. */
  public record Reply(int status, String body) {}

  /** A GET of {@code /} through the proxy with the given Host header, on a fresh connection. */
  protected final Reply get(String host) {
    return ProxyRequests.get(trafficEndpoint(), host);
  }
}
