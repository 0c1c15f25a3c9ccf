package kr.codeb.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kr.codeb.CodeBException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.deploy.AppServer;
import kr.codeb.deploy.DeployContext;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployProgress;
import kr.codeb.deploy.DeployRequest;
import kr.codeb.deploy.DeployResult;
import kr.codeb.deploy.Deployments;
import kr.codeb.deploy.HealthCheck;
import kr.codeb.deploy.HealthReport;
import kr.codeb.deploy.ProcessSpec;
import kr.codeb.deploy.ReleaseOutcome;
import kr.codeb.deploy.SlotReport;
import kr.codeb.deploy.SwitchResult;
import kr.codeb.model.IpAddress;
import kr.codeb.model.Slot;
import kr.codeb.ports.PortRange;
import kr.codeb.ports.Registry;
import kr.codeb.ports.RegistryEdit;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.ContainerState;
import kr.codeb.runtime.PortBinding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One project on two app servers (two mem engines publishing the same port on 127.0.0.2 and
 * 127.0.0.3) behind one mem proxy: all or nothing, never a mixed state.
 */
class MultiServerDeployTest {
  static final DeployKey ACME = DeploymentsTest.ACME;
  static final IpAddress APP1 = IpAddress.of("127.0.0.2");
  static final IpAddress APP2 = IpAddress.of("127.0.0.3");
  static final ProcessSpec WORKER = ProcessSpec.of("worker", 1,
      List.of("sh", "-c", "echo working; sleep 3600")).withHealth(List.of("sh", "-c", "exit 0"));

  MemContainerRuntime one;
  MemContainerRuntime two;
  MemReverseProxy proxy;
  MemSsotStore ssot;
  DeployContext ctx;
  Deployments deployments;

  @BeforeEach
  void setUp() {
    ssot = MemSsotStore.create(
        Registry.of(Map.of(DeploymentsTest.PROD, new PortRange(47300, 47399))));
    one = MemContainerRuntime.create().serveHttp(true);
    two = MemContainerRuntime.create().serveHttp(true);
    proxy = MemReverseProxy.listening(0);
    ctx = new DeployContext(ssot, proxy, new MemReleaseStore(), List.of(
        new AppServer("app1", one, APP1, APP1), new AppServer("app2", two, APP2, APP2)));
    deployments = new Deployments(ctx);
  }

  @AfterEach
  void tearDown() {
    for (MemContainerRuntime r : List.of(one, two)) {
      r.list(Map.of()).forEach(c -> r.remove(c.id()));
    }
    proxy.close();
  }

  DeployResult deploy(String image, DeployProgress progress) {
    return deployments.deploy(DeployRequest.builder(ACME, image)
        .hosts(List.of(DeploymentsTest.HOST)).drain(Duration.ZERO)
        .health(HealthCheck.http("/health").withDeadline(Duration.ofSeconds(5))
            .withInterval(Duration.ofMillis(20)))
        .processes(List.of(WORKER)).build(), progress);
  }

  /** Container name to state on one engine, for the project's containers. */
  static Map<String, ContainerState> states(MemContainerRuntime r) {
    Map<String, ContainerState> out = new TreeMap<>();
    r.list(Map.of("codeb.project", "acme")).forEach(c -> out.put(c.name(), c.state()));
    return out;
  }

  /** Which server answered each of {@code n} requests through the proxy, with its body. */
  Map<String, Integer> throughProxy(int n) throws IOException {
    URI endpoint = proxy.endpoint().orElseThrow();
    Map<String, Integer> seen = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      try (Socket s = new Socket("127.0.0.1", endpoint.getPort())) {
        s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + DeploymentsTest.HOST
            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        String by = response.lines().filter(l -> l.toLowerCase().startsWith("x-served-by:"))
            .findFirst().orElseThrow().substring("x-served-by:".length()).strip();
        seen.merge(by + " " + response.substring(response.indexOf("\r\n\r\n") + 4), 1,
            Integer::sum);
      }
    }
    return seen;
  }

  List<Upstream> upstreams(int port) {
    return List.of(new Upstream(APP1, port), new Upstream(APP2, port));
  }

  @Test
  void aHealthyDeployRunsWebAndWorkerOnBothAndTheRouteBalancesOverBoth() throws Exception {
    DeployResult v1 = deploy("localhost/acme/web:v1", DeployProgress.SILENT);
    assertEquals(ReleaseOutcome.DEPLOYED, v1.outcome(), v1.toString());
    Map<String, ContainerState> running = Map.of(
        "acme-production-blue", ContainerState.RUNNING,
        "acme-production-blue-worker-1", ContainerState.RUNNING);
    assertEquals(running, states(one));
    assertEquals(running, states(two));
    Route route = proxy.route("acme-production").orElseThrow();
    assertEquals(upstreams(v1.port()), route.upstreams());
    assertEquals(Map.of("127.0.0.2 localhost/acme/web:v1", 5, "127.0.0.3 localhost/acme/web:v1",
        5), throughProxy(10), "round robin over both servers");
    assertEquals(List.of("app1", "app2"),
        ssot.read().project(ACME.project()).orElseThrow().placement(ACME.environment()));

    SlotReport report = deployments.status(ACME);
    assertEquals(List.of("app1", "app2"), report.slot(Slot.BLUE).servers().stream()
        .map(s -> s.server()).toList());
    assertTrue(report.slot(Slot.BLUE).runningEverywhere());
    assertEquals(List.of(v1.release()), report.slot(Slot.BLUE).releases());
    HealthReport health = deployments.health(ACME);
    assertTrue(health.healthy(), health.toString());
    assertEquals(2, health.servers().size());
  }

  @Test
  void anImagePullFailingOnOneServerStartsNothingAndSwitchesNothing() {
    DeployResult v1 = deploy("localhost/acme/web:v1", DeployProgress.SILENT);
    assertEquals(ReleaseOutcome.DEPLOYED, v1.outcome());
    // Only app1 has the image; app2 must pull it, and its registry does not know it.
    String image = "localhost/acme/web:v2-notfound";
    one.addImage(image);
    CodeBException e = assertThrows(NotFoundException.class,
        () -> deploy(image, DeployProgress.SILENT));
    assertTrue(e.getMessage().startsWith("on app server app2: "), e.getMessage());
    assertEquals(upstreams(v1.port()), proxy.route("acme-production").orElseThrow().upstreams(),
        "no server switched");
    Map<String, ContainerState> blueOnly = Map.of(
        "acme-production-blue", ContainerState.RUNNING,
        "acme-production-blue-worker-1", ContainerState.RUNNING);
    assertEquals(blueOnly, states(one), "nothing new was started on app1");
    assertEquals(blueOnly, states(two));
  }

  @Test
  void aGateFailingOnOneServerStopsTheNewContainersOnBothAndSwitchesNothing() throws Exception {
    DeployResult v1 = deploy("localhost/acme/web:v1", DeployProgress.SILENT);
    DeployProgress crashOnApp2 = new DeployProgress() {
      @Override
      public void step(String description) {
        if (description.startsWith("app2: waiting for acme-production-green to answer")) {
          two.crash(new ContainerId("acme-production-green"), 3);
        }
      }
    };
    DeployResult v2 = deploy("localhost/acme/web:v2", crashOnApp2);
    assertEquals(ReleaseOutcome.FAILED, v2.outcome(), v2.toString());
    assertTrue(v2.reason().orElseThrow().startsWith("app2: "), v2.reason().toString());
    assertEquals(upstreams(v1.port()), proxy.route("acme-production").orElseThrow().upstreams());
    assertEquals(Map.of("127.0.0.2 localhost/acme/web:v1", 3, "127.0.0.3 localhost/acme/web:v1",
        3), throughProxy(6), "both servers still serve the old release");
    for (MemContainerRuntime r : List.of(one, two)) {
      Map<String, ContainerState> s = states(r);
      assertEquals(ContainerState.RUNNING, s.get("acme-production-blue"));
      assertEquals(ContainerState.RUNNING, s.get("acme-production-blue-worker-1"));
      assertTrue(s.get("acme-production-green") != ContainerState.RUNNING, s.toString());
      assertTrue(s.get("acme-production-green-worker-1") != ContainerState.RUNNING, s.toString());
    }
  }

  @Test
  void aStartFailingOnOneServerStopsWhatStartedOnTheOther() {
    DeployResult v1 = deploy("localhost/acme/web:v1", DeployProgress.SILENT);
    int greenPort = v1.port() == 47300 ? 47301 : 47300;
    // Something else on app2 publishes the green port on app2's address only after allocation.
    two.run(new ContainerSpec("squatter", "localhost/other:1", Map.of(), Map.of(),
        List.of(new PortBinding(APP2, greenPort, 80)), List.of()));
    assertThrows(CodeBException.class, () -> deploy("localhost/acme/web:v2",
        DeployProgress.SILENT));
    assertEquals(upstreams(v1.port()), proxy.route("acme-production").orElseThrow().upstreams());
    assertTrue(states(one).get("acme-production-green") != ContainerState.RUNNING,
        states(one).toString());
    assertEquals(ReleaseOutcome.FAILED, deployments.status(ACME).history().get(1).outcome());
  }

  @Test
  void allocationSkipsAPortPublishedOnAnyServer() {
    two.run(new ContainerSpec("other", "localhost/other:1", Map.of(), Map.of(),
        List.of(new PortBinding(APP2, 47300, 80)), List.of()));
    DeployResult v1 = deploy("localhost/acme/web:v1", DeployProgress.SILENT);
    assertEquals(ReleaseOutcome.DEPLOYED, v1.outcome(), v1.toString());
    assertTrue(v1.port() != 47300, "47300 is taken on app2: " + v1.port());
  }

  @Test
  void rollbackAndPromoteMoveBothServersTogether() throws Exception {
    DeployResult v1 = deploy("localhost/acme/web:v1", DeployProgress.SILENT);
    DeployResult v2 = deploy("localhost/acme/web:v2", DeployProgress.SILENT);
    assertEquals(ReleaseOutcome.DEPLOYED, v2.outcome());
    assertEquals(upstreams(v2.port()), proxy.route("acme-production").orElseThrow().upstreams());
    for (MemContainerRuntime r : List.of(one, two)) {
      assertEquals(ContainerState.EXITED, states(r).get("acme-production-blue-worker-1"),
          "the old release's worker stopped after the drain");
    }
    SwitchResult back = deployments.rollback(ACME, "test");
    assertEquals(Slot.BLUE, back.to());
    assertEquals(upstreams(v1.port()), proxy.route("acme-production").orElseThrow().upstreams());
    assertEquals(Map.of("127.0.0.2 localhost/acme/web:v1", 2, "127.0.0.3 localhost/acme/web:v1",
        2), throughProxy(4));
    for (MemContainerRuntime r : List.of(one, two)) {
      assertEquals(ContainerState.RUNNING, states(r).get("acme-production-blue-worker-1"),
          "the rollback started the old release's worker again on both");
    }
  }

  @Test
  void promoteRefusesASlotWhoseServersRunDifferentReleases() {
    deploy("localhost/acme/web:v1", DeployProgress.SILENT);
    deploy("localhost/acme/web:v2", DeployProgress.SILENT);
    // app2's blue slot is gone (say, a server rebuilt): promoting blue would serve v1 on app1 only.
    two.remove(new ContainerId("acme-production-blue"));
    assertThrows(NotFoundException.class,
        () -> deployments.promote(ACME, java.util.Optional.of(Slot.BLUE), "test"));
    assertEquals(Slot.GREEN, deployments.status(ACME).live().orElseThrow());
  }

  @Test
  void aServerLeavingThePlacementIsReportedAndTheRouteDropsIt() {
    deploy("localhost/acme/web:v1", DeployProgress.SILENT);
    Deployments onOne = new Deployments(new DeployContext(ssot, proxy, new MemReleaseStore(),
        List.of(new AppServer("app1", one, APP1, APP1))));
    List<String> steps = new java.util.ArrayList<>();
    DeployResult v2 = onOne.deploy(DeployRequest.builder(ACME, "localhost/acme/web:v2")
        .hosts(List.of(DeploymentsTest.HOST)).drain(Duration.ZERO)
        .health(HealthCheck.http("/health").withDeadline(Duration.ofSeconds(5))
            .withInterval(Duration.ofMillis(20))).processes(List.of(WORKER)).build(),
        new DeployProgress() {
          @Override
          public void step(String description) {
            steps.add(description);
          }
        });
    assertEquals(ReleaseOutcome.DEPLOYED, v2.outcome(), v2.toString());
    assertTrue(steps.stream().anyMatch(s -> s.startsWith("app2 left the placement")),
        steps.toString());
    assertEquals(List.of(new Upstream(APP1, v2.port())),
        proxy.route("acme-production").orElseThrow().upstreams());
    assertEquals(List.of("app1"),
        ssot.read().project(ACME.project()).orElseThrow().placement(ACME.environment()));
  }

  @Test
  void oldReleaseImagesArePrunedOnEveryServer() {
    for (String tag : List.of("v1", "v2", "v3", "v4")) {
      DeployResult r = deployments.deploy(DeployRequest.builder(ACME, "localhost/acme/web:" + tag)
          .hosts(List.of(DeploymentsTest.HOST)).drain(Duration.ZERO).keepImages(2)
          .health(HealthCheck.http("/health").withDeadline(Duration.ofSeconds(5))
              .withInterval(Duration.ofMillis(20))).build(), DeployProgress.SILENT);
      assertEquals(ReleaseOutcome.DEPLOYED, r.outcome(), r.toString());
    }
    for (MemContainerRuntime r : List.of(one, two)) {
      assertTrue(!r.images().contains("localhost/acme/web:v1"), r.images().toString());
      assertTrue(r.images().containsAll(List.of("localhost/acme/web:v3",
          "localhost/acme/web:v4")), r.images().toString());
    }
  }

  @Test
  void badServerListsAndPlacementsAreRefusedNamingTheProblem() {
    MemReleaseStore releases = new MemReleaseStore();
    InvalidRequestException none = assertThrows(InvalidRequestException.class,
        () -> new DeployContext(ssot, proxy, releases, List.of()));
    assertTrue(none.getMessage().contains("at least one app server"), none.getMessage());
    InvalidRequestException twice = assertThrows(InvalidRequestException.class,
        () -> new DeployContext(ssot, proxy, releases, List.of(
            new AppServer("app1", one, APP1, APP1), new AppServer("app1", two, APP2, APP2))));
    assertTrue(twice.getMessage().contains("listed twice"), twice.getMessage());
    InvalidRequestException shared = assertThrows(InvalidRequestException.class,
        () -> new DeployContext(ssot, proxy, releases, List.of(
            new AppServer("app1", one, APP1, APP1), new AppServer("app2", two, APP2, APP1))));
    assertTrue(shared.getMessage().contains("share the upstream address"), shared.getMessage());
    assertThrows(InvalidRequestException.class, () -> new AppServer("App 1", one, APP1, APP1));
    assertThrows(InvalidRequestException.class,
        () -> new RegistryEdit.Place(ACME.project(), ACME.environment(), List.of("a", "a")));
    assertThrows(InvalidRequestException.class,
        () -> new RegistryEdit.Place(ACME.project(), ACME.environment(), List.of()));
    InvalidRequestException unknown = assertThrows(InvalidRequestException.class,
        () -> ssot.apply(new RegistryEdit.Place(ACME.project(), ACME.environment(),
            List.of("app1"))));
    assertTrue(unknown.getMessage().contains("allocate"), unknown.getMessage());
    assertThrows(kr.codeb.UnsupportedFeatureException.class, () -> ctx.runtime(),
        "a several-server context has no single runtime");
  }

  @Test
  void aRouteRefusesNoUpstreamOrTheSameUpstreamTwice() {
    Upstream a = new Upstream(APP1, 47300);
    assertThrows(InvalidRequestException.class,
        () -> new Route("acme-production", List.of(), List.of()));
    InvalidRequestException twice = assertThrows(InvalidRequestException.class,
        () -> new Route("acme-production", List.of(), List.of(a, a)));
    assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
  }
}
