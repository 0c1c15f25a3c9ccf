package kr.codeb.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.deploy.DeployContext;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployProgress;
import kr.codeb.deploy.DeployRequest;
import kr.codeb.deploy.DeployResult;
import kr.codeb.deploy.Deployments;
import kr.codeb.deploy.HealthCheck;
import kr.codeb.deploy.ReleaseOutcome;
import kr.codeb.deploy.SlotReport;
import kr.codeb.deploy.SwitchResult;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.model.Slot;
import kr.codeb.ports.PortRange;
import kr.codeb.ports.Registry;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deploy engine end to end on the mem: providers, which really serve and forward HTTP on
 * loopback: traffic through the proxy shows which release answers.
 */
class DeploymentsTest {
  static final Environment PROD = Environment.of("production");
  static final DeployKey ACME = new DeployKey(ProjectName.of("acme"), PROD);
  static final String HOST = "acme.test";

  MemContainerRuntime runtime;
  MemReverseProxy proxy;
  MemReleaseStore releases;
  Deployments deployments;

  @BeforeEach
  void setUp() {
    // A high range of its own, away from the ports real engines on this machine use.
    Registry registry = Registry.of(Map.of(PROD, new PortRange(47100, 47199)));
    runtime = MemContainerRuntime.create().serveHttp(true);
    proxy = MemReverseProxy.listening(0);
    releases = new MemReleaseStore();
    deployments = new Deployments(DeployContext.local(MemSsotStore.create(registry), runtime,
        proxy, releases));
  }

  @AfterEach
  void tearDown() {
    runtime.list(Map.of()).forEach(c -> runtime.remove(c.id()));
    proxy.close();
  }

  DeployRequest.Builder request(String image) {
    return DeployRequest.builder(ACME, image).hosts(List.of(HOST)).drain(Duration.ZERO)
        .health(HealthCheck.http("/health").withDeadline(Duration.ofSeconds(5))
            .withInterval(Duration.ofMillis(20)));
  }

  DeployResult deploy(String image) {
    return deployments.deploy(request(image).build(), DeployProgress.SILENT);
  }

  /** One request through the proxy with the project's Host header; the body names the image. */
  String throughProxy() throws IOException {
    URI endpoint = proxy.endpoint().orElseThrow();
    try (Socket s = new Socket("127.0.0.1", endpoint.getPort())) {
      OutputStream out = s.getOutputStream();
      out.write(("GET / HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
  }

  @Test
  void deploysBlueGreenSwitchesTrafficAndRollsBackInstantly() throws IOException {
    DeployResult v1 = deploy("localhost/acme/web:v1");
    assertEquals(ReleaseOutcome.DEPLOYED, v1.outcome());
    assertEquals(Slot.BLUE, v1.slot());
    assertEquals(47100, v1.port());
    assertEquals("localhost/acme/web:v1", throughProxy());

    DeployResult v2 = deploy("localhost/acme/web:v2");
    assertEquals(Slot.GREEN, v2.slot());
    assertEquals(Optional.of(Slot.GREEN), v2.liveSlot());
    assertEquals("localhost/acme/web:v2", throughProxy());
    ContainerId blue = runtime.inspect(new ContainerId("acme-production-blue")).orElseThrow().id();

    SwitchResult back = deployments.rollback(ACME, "tester");
    assertEquals(Slot.BLUE, back.to());
    assertEquals("localhost/acme/web:v1", throughProxy());
    assertEquals(blue, runtime.inspect(new ContainerId("acme-production-blue")).orElseThrow().id(),
        "an instant rollback reuses the running container");

    SwitchResult promoted = deployments.promote(ACME, Optional.of(Slot.GREEN), "tester");
    assertTrue(promoted.changed());
    assertEquals("localhost/acme/web:v2", throughProxy());
    assertFalse(deployments.promote(ACME, Optional.of(Slot.GREEN), "tester").changed());

    SlotReport report = deployments.status(ACME);
    assertEquals(Optional.of(Slot.GREEN), report.live());
    assertTrue(report.slot(Slot.GREEN).live());
    assertEquals(List.of(HOST), report.hosts());
    assertEquals(List.of(ReleaseOutcome.DEPLOYED, ReleaseOutcome.DEPLOYED,
        ReleaseOutcome.ROLLED_BACK, ReleaseOutcome.PROMOTED),
        report.history().stream().map(r -> r.outcome()).toList());
    assertTrue(deployments.health(ACME).healthy());
  }

  @Test
  void aContainerThatExitsNeverGetsTrafficAndTheLiveSlotIsUntouched() throws IOException {
    deploy("localhost/acme/web:v1");
    ContainerId live = runtime.inspect(new ContainerId("acme-production-blue")).orElseThrow().id();
    DeployResult failed = deploy("localhost/acme/web:exit");
    assertEquals(ReleaseOutcome.FAILED, failed.outcome());
    assertTrue(failed.reason().orElseThrow().contains("exited"), failed.reason().toString());
    assertTrue(failed.logTail().isPresent());
    assertEquals(Optional.of(Slot.BLUE), failed.liveSlot());
    assertEquals("localhost/acme/web:v1", throughProxy());
    assertEquals(live, runtime.inspect(new ContainerId("acme-production-blue")).orElseThrow().id());
    assertEquals(ContainerState.EXITED,
        runtime.inspect(new ContainerId("acme-production-green")).orElseThrow().state());
  }

  @Test
  void anUnhealthyContainerFailsTheGateWithoutWaitingForTheDeadline() throws IOException {
    deploy("localhost/acme/web:v1");
    long start = System.nanoTime();
    DeployResult failed = deployments.deploy(request("localhost/acme/web:unhealthy")
        .health(HealthCheck.http("/health").withDeadline(Duration.ofSeconds(30))).build(),
        DeployProgress.SILENT);
    assertEquals(ReleaseOutcome.FAILED, failed.outcome());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10);
    assertEquals("localhost/acme/web:v1", throughProxy());
    assertEquals(ContainerState.EXITED,
        runtime.inspect(new ContainerId("acme-production-green")).orElseThrow().state(),
        "the failed container is stopped");
  }

  @Test
  void twoDeploysAtOnceLetExactlyOneProceed() throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<String>> outcomes = new ArrayList<>();
      for (String tag : List.of("a", "b")) {
        outcomes.add(pool.submit(() -> {
          go.await();
          try {
            return deploy("localhost/acme/web:" + tag).outcome().id();
          } catch (ConflictException e) {
            assertTrue(e.getMessage().contains("another deploy of acme production"), e.getMessage());
            return "conflict";
          }
        }));
      }
      go.countDown();
      List<String> got = new ArrayList<>();
      for (Future<String> f : outcomes) {
        got.add(f.get(60, TimeUnit.SECONDS));
      }
      got.sort(null);
      assertEquals(List.of("conflict", "deployed"), got);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aHeldLockIsNamedAndCanBeBroken() {
    releases.tryLock(ACME, "ci@app1", Duration.ofMinutes(5)).orElseThrow();
    ConflictException held = assertThrows(ConflictException.class,
        () -> deploy("localhost/acme/web:v1"));
    assertTrue(held.getMessage().contains("ci@app1"), held.getMessage());
    assertTrue(runtime.list(Map.of()).isEmpty(), "nothing started while locked");
    assertTrue(deployments.breakLock(ACME));
    assertEquals(ReleaseOutcome.DEPLOYED, deploy("localhost/acme/web:v1").outcome());
  }

  @Test
  void promoteOfAnUnknownProjectIsBadInput() {
    DeployKey ghost = new DeployKey(ProjectName.of("ghost"), PROD);
    assertThrows(InvalidRequestException.class,
        () -> deployments.promote(ghost, Optional.empty(), "tester"));
    assertThrows(InvalidRequestException.class, () -> deployments.deploy(
        DeployRequest.builder(new DeployKey(ProjectName.of("acme"), Environment.of("qa")),
            "localhost/acme/web:v1").build(), DeployProgress.SILENT));
    assertTrue(runtime.list(Map.of()).isEmpty());
    assertTrue(proxy.routes().isEmpty());
  }

  @Test
  void rollbackRedeploysThePreviousImageWhenTheOldSlotIsGone() throws IOException {
    deploy("localhost/acme/web:v1");
    deploy("localhost/acme/web:v2");
    runtime.remove(new ContainerId("acme-production-blue"));
    SwitchResult back = deployments.rollback(ACME, "tester");
    assertEquals("localhost/acme/web:v1", back.image());
    assertEquals("localhost/acme/web:v1", throughProxy());
  }

  @Test
  void onlyTheLastReleasesImagesAreKept() {
    for (String tag : List.of("v1", "v2", "v3", "v4")) {
      deployments.deploy(request("localhost/acme/web:" + tag).keepImages(2).build(),
          DeployProgress.SILENT);
    }
    assertFalse(runtime.images().contains("localhost/acme/web:v1"), runtime.images().toString());
    assertTrue(runtime.images().containsAll(List.of("localhost/acme/web:v3",
        "localhost/acme/web:v4")), runtime.images().toString());
    assertEquals(2, runtime.list(Map.of("codeb.project", "acme")).size(),
        "only the two slots exist");
  }
}
