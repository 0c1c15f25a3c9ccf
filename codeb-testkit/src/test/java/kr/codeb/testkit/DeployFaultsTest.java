package kr.codeb.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderInfo;
import kr.codeb.UnavailableException;
import kr.codeb.deploy.DeployContext;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployProgress;
import kr.codeb.deploy.DeployRequest;
import kr.codeb.deploy.DeployResult;
import kr.codeb.deploy.Deployments;
import kr.codeb.deploy.EnvResolver;
import kr.codeb.deploy.EnvSource;
import kr.codeb.deploy.HealthCheck;
import kr.codeb.deploy.ReleaseOutcome;
import kr.codeb.deploy.ReleaseRecord;
import kr.codeb.deploy.SwitchResult;
import kr.codeb.model.Environment;
import kr.codeb.model.IpAddress;
import kr.codeb.model.ProjectName;
import kr.codeb.model.Slot;
import kr.codeb.ports.PortRange;
import kr.codeb.ports.Registry;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.RuntimeVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a deploy does when a part fails under it: the engine quoting the environment, a pull that
 * fails, the proxy's answer lost mid-switch, a host another route matches, a kill while
 * draining, a rollback that must recreate a release with an environment. Real mem: providers,
 * with a runtime and a proxy wrapped to fail at one chosen step.
 */
class DeployFaultsTest {
  static final Environment PROD = Environment.of("production");
  static final DeployKey ACME = new DeployKey(ProjectName.of("acme"), PROD);
  static final String HOST = "acme.test";
  static final String SECRET = "s3cr3t-Value\"x";

  MemContainerRuntime mem;
  MemReverseProxy memProxy;
  FaultyRuntime runtime;
  FaultyProxy proxy;
  MemReleaseStore releases;
  Deployments deployments;

  @BeforeEach
  void setUp() {
    Registry registry = Registry.of(Map.of(PROD, new PortRange(47300, 47399)));
    mem = MemContainerRuntime.create().serveHttp(true);
    memProxy = MemReverseProxy.create();
    runtime = new FaultyRuntime(mem);
    proxy = new FaultyProxy(memProxy);
    releases = new MemReleaseStore();
    deployments = new Deployments(DeployContext.local(MemSsotStore.create(registry), runtime,
        proxy, releases));
  }

  @AfterEach
  void tearDown() {
    mem.list(Map.of()).forEach(c -> mem.remove(c.id()));
    memProxy.close();
  }

  DeployRequest.Builder request(String image) {
    return DeployRequest.builder(ACME, image).hosts(List.of(HOST)).drain(Duration.ZERO)
        .actor("tester")
        .health(HealthCheck.http("/health").withDeadline(Duration.ofSeconds(5))
            .withInterval(Duration.ofMillis(20)));
  }

  DeployResult deploy(DeployRequest.Builder request) {
    return deployments.deploy(request.build(), DeployProgress.SILENT);
  }

  List<ReleaseRecord> history() {
    return releases.history(ACME);
  }

  Optional<Upstream> routeUpstream() {
    return memProxy.route("acme-production").map(Route::upstream);
  }

  // ----- the environment never leaks

  @Test
  void engineErrorsQuotingTheEnvironmentAreRedactedEverywhere() {
    runtime.failRunWith = spec -> new kr.codeb.InvalidRequestException("invalid environment"
        + " variable: \"A=" + goQuote(SECRET + "\u0000") + "\" and B=" + SECRET + " and C=ok",
        "docker", 400, new RuntimeException("cause quoting " + SECRET));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("A", SECRET + "\u0000");
    env.put("B", SECRET);
    env.put("C", "ok");
    CodeBException e = assertThrows(CodeBException.class, () -> deploy(request("web:v1")
        .env(env, new EnvSource(Optional.empty(), List.of("A", "B", "C")))));
    assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    assertTrue(e.getMessage().contains("A=[redacted]"), e.getMessage());
    assertTrue(e.getMessage().contains("C=[redacted]"), "short values alone are redacted too: "
        + e.getMessage());
    assertEquals(null, e.getCause(), "the cause holds the value");
    assertEquals("docker", e.provider().orElseThrow());
    ReleaseRecord failed = history().get(history().size() - 1);
    assertEquals(ReleaseOutcome.FAILED, failed.outcome());
    assertFalse(failed.message().contains("s3cr3t"), failed.message());
    assertTrue(failed.message().startsWith("could not start: invalid environment variable"));
  }

  // ----- hosts

  @Test
  void aHostAnotherRouteMatchesIsRefusedBeforeAnythingStarts() {
    memProxy.upsert(new Route("other-production", List.of("*.wild.test"),
        new Upstream(IpAddress.of("127.0.0.1"), 47399)));
    ConflictException e = assertThrows(ConflictException.class,
        () -> deploy(request("web:v1").hosts(List.of("x.wild.test"))));
    assertTrue(e.getMessage().contains("host x.wild.test is matched by *.wild.test of route"
        + " other-production"), e.getMessage());
    assertTrue(e.getMessage().contains("Nothing was started"), e.getMessage());
    assertTrue(mem.list(Map.of()).isEmpty(), "no container was started");
    assertTrue(mem.pulls().isEmpty(), "no image was pulled");
    assertTrue(history().isEmpty());
    assertEquals(Optional.empty(), routeUpstream());
    // The other way round: a concrete host held, a wildcard asked for (by the proxy's rule).
    memProxy.upsert(new Route("third-production", List.of("y.tame.test"),
        new Upstream(IpAddress.of("127.0.0.1"), 47398)));
    assertEquals(1, proxy.hostConflicts("acme-production", List.of("*.tame.test")).size());
  }

  @Test
  void wildcardAndSingleLabelHostsAreRefusedAsDomainAddRefusesThem() {
    for (String bad : List.of("*.wild.example.test", "localhost", "a_b.test", "-a.test")) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> request("web:v1").hosts(List.of(bad)).build(), bad);
      assertTrue(e.getMessage().contains("a host name is 2 or more labels"), e.getMessage());
    }
  }

  // ----- a failed pull keeps the rollback

  @Test
  void aPullThatFailsLeavesBothSlotsAsTheyWere() {
    deploy(request("web:v1"));
    deploy(request("web:v2"));
    Map<String, String> before = states();
    assertThrows(NotFoundException.class, () -> deploy(request("127.0.0.1:1/nope:v9")));
    assertEquals(before, states(), "the idle slot's container (the rollback) is still there");
    SwitchResult back = deployments.rollback(ACME, "tester");
    assertEquals("web:v1", back.image());
    assertEquals(Optional.empty(), back.environment(), "an instant rollback recreates nothing");
  }

  Map<String, String> states() {
    Map<String, String> out = new java.util.TreeMap<>();
    mem.list(Map.of()).forEach(c -> out.put(c.name(), c.id().value() + " " + c.state()));
    return out;
  }

  // ----- the outcome of a switch is what happened

  enum LostAnswer { APPLIED_THEN_LOST, LOST_BEFORE_APPLIED, APPLIED_THEN_UNREADABLE }

  @ParameterizedTest
  @EnumSource(LostAnswer.class)
  void aSwitchWhoseAnswerIsLostReportsWhatTheRouteSays(LostAnswer fault) {
    deploy(request("web:v1"));
    Upstream blue = routeUpstream().orElseThrow();
    proxy.switchFault = fault;
    DeployResult r = deploy(request("web:v2"));
    ReleaseRecord last = history().get(history().size() - 1);
    assertEquals(r.outcome(), last.outcome(), "the history says what the result says");
    switch (fault) {
      case APPLIED_THEN_LOST -> {
        assertEquals(ReleaseOutcome.DEPLOYED, r.outcome(), r.toString());
        assertEquals(47300 + 1, routeUpstream().orElseThrow().port());
        assertEquals(Optional.of(Slot.GREEN), r.liveSlot());
      }
      case LOST_BEFORE_APPLIED -> {
        assertEquals(ReleaseOutcome.FAILED, r.outcome(), r.toString());
        assertEquals(blue, routeUpstream().orElseThrow());
        assertTrue(r.reason().orElseThrow().contains("traffic was not switched"));
        assertEquals(Optional.of(Slot.BLUE), deployments.status(ACME).live());
      }
      case APPLIED_THEN_UNREADABLE -> {
        assertEquals(ReleaseOutcome.SWITCH_UNKNOWN, r.outcome(), r.toString());
        assertFalse(r.succeeded());
        assertTrue(last.message().contains("`we slot acme --env production`"), last.message());
        assertTrue(last.message().contains("`we promote acme --env production --slot SLOT`"));
      }
    }
  }

  @Test
  void theReleaseIsRecordedBeforeTheOldSlotDrains() throws Exception {
    deploy(request("web:v1"));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<DeployResult> v2 = pool.submit(() -> deploy(request("web:v2")
          .drain(Duration.ofSeconds(3))));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (history().size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertFalse(v2.isDone(), "still draining");
      assertEquals(2, history().size(), "the live release is in the history while draining");
      assertEquals(ReleaseOutcome.DEPLOYED, history().get(1).outcome());
      assertEquals(ReleaseOutcome.DEPLOYED, v2.get(10, TimeUnit.SECONDS).outcome());
    } finally {
      pool.shutdownNow();
    }
  }

  // ----- a rollback that recreates a release gives it its environment

  @Test
  void aRecreatingRollbackUsesTheEnvironmentAtHandAndComparesItsHash() {
    Map<String, String> env = Map.of("DB", "postgres://x", "TOKEN", SECRET);
    EnvSource source = new EnvSource(Optional.of("/srv/acme.env"), List.of("TOKEN"));
    deploy(request("web:v1").env(env, source));
    deploy(request("web:v2"));
    mem.remove(new ContainerId("acme-production-blue"));
    ReleaseRecord v1 = history().get(0);
    assertEquals(source, v1.envSource());
    assertEquals(EnvSource.hashOf(env), v1.envHash());
    assertFalse(v1.toString().contains(SECRET));

    InvalidRequestException refused = assertThrows(InvalidRequestException.class,
        () -> deployments.rollback(ACME, "tester"));
    assertTrue(refused.getMessage().contains("env file /srv/acme.env and -e TOKEN"),
        refused.getMessage());
    assertTrue(mem.inspect(new ContainerId("acme-production-blue")).isEmpty(), "nothing started");

    List<EnvSource> asked = new ArrayList<>();
    SwitchResult same = deployments.rollback(ACME, "tester", recorded -> {
      asked.add(recorded);
      return new EnvResolver.Resolved(env, recorded);
    });
    assertEquals(List.of(source), asked);
    assertEquals("web:v1", same.image());
    assertEquals(env, runtime.lastSpec.env(), "recreated with the environment it had");
    assertTrue(same.environment().orElseThrow().contains("the same values as the release had"),
        same.environment().toString());

    deployments.promote(ACME, Optional.of(Slot.GREEN), "tester");
    mem.remove(new ContainerId("acme-production-blue"));
    SwitchResult changed = deployments.rollback(ACME, "tester",
        recorded -> new EnvResolver.Resolved(Map.of("DB", "other", "TOKEN", SECRET), recorded));
    assertTrue(changed.environment().orElseThrow().contains("changed since the release"),
        changed.environment().toString());
    assertFalse(changed.environment().orElseThrow().contains(SECRET));
  }

  static String goQuote(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\u0000", "\\x00");
  }

  /** The mem: runtime, remembering the last spec run and failing runs on demand. */
  static final class FaultyRuntime implements ContainerRuntime {
    final MemContainerRuntime delegate;
    java.util.function.Function<ContainerSpec, CodeBException> failRunWith;
    ContainerSpec lastSpec;

    FaultyRuntime(MemContainerRuntime delegate) {
      this.delegate = delegate;
    }

    @Override public ProviderInfo info() { return delegate.info(); }
    @Override public RuntimeVersion ping() { return delegate.ping(); }
    @Override public void ensureImage(String image) { delegate.ensureImage(image); }

    @Override
    public ContainerId run(ContainerSpec spec) {
      lastSpec = spec;
      if (failRunWith != null) {
        throw failRunWith.apply(spec);
      }
      return delegate.run(spec);
    }

    @Override public void stop(ContainerId id, Duration grace) { delegate.stop(id, grace); }
    @Override public boolean remove(ContainerId id) { return delegate.remove(id); }
    @Override public Optional<ContainerInfo> inspect(ContainerId id) { return delegate.inspect(id); }
    @Override public List<ContainerInfo> list(Map<String, String> l) { return delegate.list(l); }
    @Override public String logs(ContainerId id, int lines) { return delegate.logs(id, lines); }
    @Override public boolean removeImage(String image) { return delegate.removeImage(image); }
    @Override public void close() {}
  }

  /**
   * The mem: proxy, losing the answer of the next switch on demand: after applying it, before
   * applying it, or after applying it with the proxy unreadable from then on.
   */
  static final class FaultyProxy implements ReverseProxy {
    final MemReverseProxy delegate;
    LostAnswer switchFault;
    final AtomicInteger unreadable = new AtomicInteger();

    FaultyProxy(MemReverseProxy delegate) {
      this.delegate = delegate;
    }

    private void readable() {
      if (unreadable.get() > 0) {
        throw new UnavailableException("Caddy at 127.0.0.1:1 is unreachable", "caddy", 0, null);
      }
    }

    private void change(Runnable apply) {
      LostAnswer fault = switchFault;
      switchFault = null;
      if (fault == null) {
        apply.run();
        return;
      }
      if (fault != LostAnswer.LOST_BEFORE_APPLIED) {
        apply.run();
      }
      if (fault == LostAnswer.APPLIED_THEN_UNREADABLE) {
        unreadable.incrementAndGet();
      }
      throw new UnavailableException("Caddy at 127.0.0.1:1 is unreachable: connection reset",
          "caddy", 0, null);
    }

    @Override public ProviderInfo info() { return delegate.info(); }

    @Override
    public List<Route> routes() {
      readable();
      return delegate.routes();
    }

    @Override
    public Optional<Route> route(String id) {
      readable();
      return delegate.route(id);
    }

    @Override public void upsert(Route route) { change(() -> delegate.upsert(route)); }

    @Override
    public void switchUpstream(String routeId, Upstream to) {
      change(() -> delegate.switchUpstream(routeId, to));
    }

    @Override
    public void awaitUpstream(String routeId, Upstream to, Duration timeout) {
      readable();
      delegate.awaitUpstream(routeId, to, timeout);
    }

    @Override public boolean remove(String routeId) { return delegate.remove(routeId); }
    @Override public void close() {}
  }
}
