package kr.codeb.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.deploy.DeployContext;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployProgress;
import kr.codeb.deploy.Deployments;
import kr.codeb.deploy.HealthCheck;
import kr.codeb.deploy.DeployRequest;
import kr.codeb.deploy.DeployResult;
import kr.codeb.deploy.ProcessSpec;
import kr.codeb.deploy.ProjectContainers;
import kr.codeb.deploy.ReleaseOutcome;
import kr.codeb.deploy.SlotReport;
import kr.codeb.model.Slot;
import kr.codeb.ports.PortRange;
import kr.codeb.ports.Registry;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Processes beside {@code web}: started, gated, stopped after the drain, started by rollback. */
class DeployProcessesTest {
  static final DeployKey ACME = DeploymentsTest.ACME;
  static final List<String> WORK = List.of("sh", "-c", "echo working; sleep 3600");
  static final ProcessSpec WORKER = ProcessSpec.of("worker", 2, WORK)
      .withHealth(List.of("sh", "-c", "exit 0"));
  static final ProcessSpec SCHEDULER = ProcessSpec.of("scheduler", 1, WORK);

  MemContainerRuntime runtime;
  MemReverseProxy proxy;
  DeployContext ctx;
  Deployments deployments;

  @BeforeEach
  void setUp() {
    Registry registry = Registry.of(Map.of(DeploymentsTest.PROD, new PortRange(47200, 47299)));
    runtime = MemContainerRuntime.create().serveHttp(true);
    proxy = MemReverseProxy.listening(0);
    ctx = DeployContext.local(MemSsotStore.create(registry), runtime, proxy,
        new MemReleaseStore());
    deployments = new Deployments(ctx);
  }

  @AfterEach
  void tearDown() {
    runtime.list(Map.of()).forEach(c -> runtime.remove(c.id()));
    proxy.close();
  }

  DeployRequest.Builder request(String image) {
    return DeployRequest.builder(ACME, image).hosts(List.of(DeploymentsTest.HOST))
        .drain(Duration.ZERO).health(HealthCheck.http("/health")
            .withDeadline(Duration.ofSeconds(5)).withInterval(Duration.ofMillis(20)));
  }

  /** The body of one request through the proxy: the image that answered. */
  String throughProxy() throws IOException {
    URI endpoint = proxy.endpoint().orElseThrow();
    try (Socket s = new Socket("127.0.0.1", endpoint.getPort())) {
      s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + DeploymentsTest.HOST
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
  }

  DeployResult deploy(String image, ProcessSpec... processes) {
    return deployments.deploy(request(image).processes(List.of(processes)).build(),
        DeployProgress.SILENT);
  }

  /** Container name to state, for the project's containers. */
  Map<String, ContainerState> states() {
    Map<String, ContainerState> out = new TreeMap<>();
    runtime.list(Map.of("codeb.project", "acme")).forEach(c -> out.put(c.name(), c.state()));
    return out;
  }

  ContainerInfo container(String name) {
    return runtime.inspect(new ContainerId(name)).orElseThrow();
  }

  @Test
  void everyProcessStartsWithTheReleaseAndTheOldWorkersStopAfterTheSwitch() throws Exception {
    DeployResult v1 = deploy("localhost/acme/web:v1", WORKER, SCHEDULER);
    assertEquals(ReleaseOutcome.DEPLOYED, v1.outcome(), v1.toString());
    assertEquals(Map.of(
        "acme-production-blue", ContainerState.RUNNING,
        "acme-production-blue-scheduler-1", ContainerState.RUNNING,
        "acme-production-blue-worker-1", ContainerState.RUNNING,
        "acme-production-blue-worker-2", ContainerState.RUNNING), states());
    ContainerInfo w2 = container("acme-production-blue-worker-2");
    assertEquals("worker", w2.labels().get("codeb.process"));
    assertEquals("2", w2.labels().get("codeb.process.index"));
    assertEquals(v1.release(), w2.labels().get("codeb.release"));
    assertEquals("localhost/acme/web:v1", w2.image());
    assertEquals("web", container("acme-production-blue").labels().get("codeb.process"));
    assertEquals(List.of(), w2.ports(), "a worker publishes no port");

    DeployResult v2 = deploy("localhost/acme/web:v2", WORKER, SCHEDULER);
    assertEquals(ReleaseOutcome.DEPLOYED, v2.outcome(), v2.toString());
    assertEquals("localhost/acme/web:v2", throughProxy());
    Map<String, ContainerState> after = states();
    assertEquals(ContainerState.RUNNING, after.get("acme-production-blue"),
        "the old web container stays for an instant rollback");
    for (String w : List.of("worker-1", "worker-2", "scheduler-1")) {
      assertEquals(ContainerState.EXITED, after.get("acme-production-blue-" + w), after.toString());
      assertEquals(ContainerState.RUNNING, after.get("acme-production-green-" + w),
          after.toString());
    }
    SlotReport report = deployments.status(ACME);
    assertEquals(List.of("acme-production-green-scheduler-1", "acme-production-green-worker-1",
        "acme-production-green-worker-2"),
        report.slot(Slot.GREEN).workers().stream().map(ContainerInfo::name).toList());

    deployments.rollback(ACME, "tester");
    assertEquals("localhost/acme/web:v1", throughProxy());
    Map<String, ContainerState> back = states();
    for (String w : List.of("worker-1", "worker-2", "scheduler-1")) {
      assertEquals(ContainerState.RUNNING, back.get("acme-production-blue-" + w), back.toString());
      assertEquals(ContainerState.EXITED, back.get("acme-production-green-" + w), back.toString());
    }
  }

  @Test
  void aWorkerFailingItsHealthCommandSwitchesNothingAndStopsTheNewRelease() throws Exception {
    deploy("localhost/acme/web:v1", WORKER);
    ProcessSpec sick = ProcessSpec.of("worker", 2, WORK)
        .withHealth(List.of("sh", "-c", "echo not ready; exit 1"));
    DeployResult r = deployments.deploy(request("localhost/acme/web:v2")
        .health(HealthCheck.http("/health").withDeadline(Duration.ofMillis(600))
            .withInterval(Duration.ofMillis(20)))
        .processes(List.of(sick)).build(), DeployProgress.SILENT);
    assertEquals(ReleaseOutcome.FAILED, r.outcome(), r.toString());
    String reason = r.reason().orElseThrow();
    assertTrue(reason.contains("acme-production-green-worker-1") && reason.contains("exit code 1")
        && reason.contains("not ready"), reason);
    assertTrue(r.logTail().orElseThrow().contains("working"), r.toString());
    assertEquals(Optional.of(Slot.BLUE), r.liveSlot());
    assertEquals("localhost/acme/web:v1", throughProxy());
    Map<String, ContainerState> s = states();
    assertEquals(ContainerState.RUNNING, s.get("acme-production-blue-worker-1"), s.toString());
    assertEquals(ContainerState.RUNNING, s.get("acme-production-blue-worker-2"), s.toString());
    assertFalse(container("acme-production-green").isRunning(), s.toString());
    assertFalse(container("acme-production-green-worker-1").isRunning(), s.toString());
    assertFalse(container("acme-production-green-worker-2").isRunning(), s.toString());
  }

  @Test
  void aWorkerThatExitsFailsTheGateEvenWithoutAHealthCommand() throws Exception {
    deploy("localhost/acme/web:v1");
    DeployResult r = deploy("localhost/acme/web:v2",
        ProcessSpec.of("worker", 1, List.of("sh", "-c", "echo boom; exit 2")));
    assertEquals(ReleaseOutcome.FAILED, r.outcome(), r.toString());
    assertTrue(r.reason().orElseThrow().contains("exit code 2"), r.toString());
    assertTrue(r.logTail().orElseThrow().contains("boom"), r.toString());
    assertEquals("localhost/acme/web:v1", throughProxy());
    assertFalse(container("acme-production-green").isRunning());
  }

  @Test
  void aStagedReleaseKeepsItsWorkersStoppedUntilThePromote() throws Exception {
    deploy("localhost/acme/web:v1", WORKER);
    DeployResult staged = deployments.deploy(request("localhost/acme/web:v2").noSwitch(true)
        .processes(List.of(WORKER)).build(), DeployProgress.SILENT);
    assertEquals(ReleaseOutcome.STAGED, staged.outcome(), staged.toString());
    assertFalse(container("acme-production-green-worker-1").isRunning());
    assertTrue(container("acme-production-blue-worker-1").isRunning());

    deployments.promote(ACME, Optional.empty(), "tester");
    assertEquals("localhost/acme/web:v2", throughProxy());
    assertTrue(container("acme-production-green-worker-1").isRunning());
    assertTrue(container("acme-production-green-worker-2").isRunning());
    assertFalse(container("acme-production-blue-worker-1").isRunning());
  }

  @Test
  void aSmallerCountRemovesTheSurplusContainersOfTheSlot() {
    deploy("localhost/acme/web:v1", WORKER);
    deploy("localhost/acme/web:v2", WORKER);
    deploy("localhost/acme/web:v3", ProcessSpec.of("worker", 1, WORK));
    assertEquals(List.of("acme-production-blue", "acme-production-blue-worker-1",
        "acme-production-green", "acme-production-green-worker-1",
        "acme-production-green-worker-2"), List.copyOf(states().keySet()));
  }

  @Test
  void aWebOnlyProjectKeepsItsContainerNamesAndTheWebCommandCanBeGiven() throws Exception {
    deploy("localhost/acme/web:v1");
    assertEquals(List.of("acme-production-blue"), List.copyOf(states().keySet()));
    DeployResult r = deploy("localhost/acme/web:v2",
        ProcessSpec.of("web", 1, List.of("sh", "-c", "echo custom web; httpd -f")));
    assertEquals(ReleaseOutcome.DEPLOYED, r.outcome(), r.toString());
    assertEquals(List.of("acme-production-blue", "acme-production-green"),
        List.copyOf(states().keySet()));
    assertTrue(runtime.logs(new ContainerId("acme-production-green"), 5).contains("custom web"));
  }

  @Test
  void logsAndExecReachAWorkerByName() {
    deploy("localhost/acme/web:v1", WORKER);
    ProjectContainers containers = new ProjectContainers(ctx);
    assertEquals("acme-production-blue-worker-1", containers.target(ACME, Optional.empty(),
        Optional.of("worker")).container().name());
    assertEquals("acme-production-blue-worker-2", containers.target(ACME, Optional.empty(),
        Optional.of("worker-2")).container().name());
    assertEquals("acme-production-blue", containers.target(ACME, Optional.empty(),
        Optional.of("web")).container().name());
    NotFoundException e = assertThrows(NotFoundException.class, () -> containers.target(ACME,
        Optional.empty(), Optional.of("worker-3")));
    assertTrue(e.getMessage().contains("web, worker-1, worker-2"), e.getMessage());
  }

  @Test
  void badDeclarationsAreRefusedWithWhatIsAllowed() {
    InvalidRequestException web = assertThrows(InvalidRequestException.class,
        () -> ProcessSpec.of("web", 2, List.of()));
    assertTrue(web.getMessage().contains("one container per server"), web.getMessage());
    assertThrows(InvalidRequestException.class, () -> ProcessSpec.of("Worker", 1, WORK));
    assertThrows(InvalidRequestException.class, () -> ProcessSpec.of("worker", 1, List.of()));
    assertThrows(InvalidRequestException.class, () -> ProcessSpec.of("worker", 21, WORK));
    InvalidRequestException twice = assertThrows(InvalidRequestException.class,
        () -> request("localhost/acme/web:v1").processes(List.of(WORKER, WORKER)).build());
    assertTrue(twice.getMessage().contains("declared twice"), twice.getMessage());
    assertFalse(WORKER.toString().contains("exit 0"), "commands are never shown");
    assertTrue(states().isEmpty(), "nothing was started");
  }
}
