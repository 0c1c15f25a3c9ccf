package kr.codeb.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.AuthException;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderRegistry;
import kr.codeb.deploy.HealthStatus;
import kr.codeb.model.IpAddress;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerInfo;
import kr.codeb.runtime.ContainerRuntime;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.ContainerState;
import kr.codeb.runtime.PortBinding;
import kr.codeb.tck.ContainerStreamsContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The mem: runtime passes the container runtime contract, and keeps its own conventions. */
class MemContainerRuntimeContractTest extends ContainerStreamsContract {
  @Override
  protected ContainerRuntime newRuntime() {
    return MemContainerRuntime.create().serveHttp(true);
  }

  @Override
  protected boolean followsOneOffOutput() {
    return false; // commands "run" at once: the tail is passed when they end
  }

  @Override
  protected String testImage() {
    return "codeb-test/busybox-httpd:latest";
  }

  @Nested
  class Conventions {
    private final IpAddress loopback = IpAddress.of("127.0.0.1");

    private ContainerSpec spec(String name, String image, List<PortBinding> ports) {
      return new ContainerSpec(name, image, Map.of("codeb.project", "demo"), Map.of(), ports,
          List.of());
    }

    @Test
    void imageNamesSimulateFailures() {
      try (MemContainerRuntime mem = MemContainerRuntime.create()) {
        ContainerInfo exited = mem.inspect(mem.run(spec("a", "acme/web-exit:1", List.of())))
            .orElseThrow();
        assertEquals(ContainerState.EXITED, exited.state());
        assertEquals(Optional.of(1), exited.exitCode());
        ContainerInfo sick = mem.inspect(mem.run(spec("b", "acme/web-unhealthy:1", List.of())))
            .orElseThrow();
        assertEquals(ContainerState.RUNNING, sick.state());
        assertEquals(HealthStatus.UNHEALTHY, sick.health());
        assertEquals(HealthStatus.HEALTHY,
            mem.inspect(mem.run(spec("c", "acme/web:1", List.of()))).orElseThrow().health());
        assertEquals(HealthStatus.STARTING, mem.inspect(
            mem.run(spec("d", "acme/web-starting:1", List.of()))).orElseThrow().health());
        assertThrows(NotFoundException.class, () -> mem.run(spec("e", "acme/notfound:1", List.of())));
        assertThrows(AuthException.class, () -> mem.run(spec("f", "ghcr.io/acme/denied:1", List.of())));
        assertTrue(mem.inspect(new ContainerId("e")).isEmpty());
        assertEquals(List.of("acme/web-exit:1", "acme/web-unhealthy:1", "acme/web:1",
            "acme/web-starting:1"), mem.pulls());
      }
    }

    @Test
    void servesHttpWithTheImageNameAndStopsWithTheContainer() throws Exception {
      int port = freePort();
      int sickPort = freePort();
      try (MemContainerRuntime mem = MemContainerRuntime.create().serveHttp(true)) {
        ContainerId id = mem.run(spec("web", "acme/web:2", List.of(new PortBinding(loopback, port, 8080))));
        mem.run(spec("sick", "acme/web-unhealthy:2",
            List.of(new PortBinding(loopback, sickPort, 8080))));
        HttpResponse<String> ok = get(port, "/anything");
        assertEquals(200, ok.statusCode());
        assertEquals("acme/web:2", ok.body());
        assertEquals(503, get(sickPort, "/health").statusCode());

        ConflictException taken = assertThrows(ConflictException.class, () -> mem.run(
            spec("web2", "acme/web:3", List.of(new PortBinding(loopback, port, 8080)))));
        assertTrue(taken.getMessage().contains(String.valueOf(port)), taken.getMessage());
        assertTrue(mem.inspect(new ContainerId("web2")).isEmpty());

        mem.stop(id, Duration.ofSeconds(1));
        assertThrows(IOException.class, () -> get(port, "/"));
        assertEquals(Optional.of(143), mem.inspect(id).orElseThrow().exitCode());
      }
      assertThrows(IOException.class, () -> get(sickPort, "/"));
    }

    @Test
    void aPortTakenOnTheMachineIsAConflict() throws Exception {
      try (ServerSocket held = new ServerSocket()) {
        held.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try (MemContainerRuntime mem = MemContainerRuntime.create().serveHttp(true)) {
          assertThrows(ConflictException.class, () -> mem.run(spec("w", "acme/web:1",
              List.of(new PortBinding(loopback, held.getLocalPort(), 8080)))));
          assertTrue(mem.list(Map.of()).isEmpty());
        }
      }
    }

    @Test
    void testHooksAndImages() {
      try (MemContainerRuntime mem = MemContainerRuntime.create().addImage("acme/web:1")) {
        ContainerId id = mem.run(spec("w", "acme/web:1", List.of()));
        assertEquals(List.of(), mem.pulls());
        mem.setHealth(id, HealthStatus.UNHEALTHY);
        assertEquals(HealthStatus.UNHEALTHY, mem.inspect(id).orElseThrow().health());
        mem.crash(id, 137);
        assertEquals(Optional.of(137), mem.inspect(id).orElseThrow().exitCode());
        assertThrows(ConflictException.class, () -> mem.removeImage("acme/web:1"));
        assertTrue(mem.remove(id));
        assertTrue(mem.removeImage("acme/web:1"));
        assertFalse(mem.removeImage("acme/web:1"));
      }
    }

    @Test
    void theShellSubsetExpandsVariablesAndQuotes() {
      ContainerSpec spec = new ContainerSpec("s", "acme/web:1", Map.of(), Map.of("A", "x y"),
          List.of(), List.of("sh", "-c", "echo \"a=$A\" '$A' ${A}; echo 'b;c' 1>&2 && exit 7"));
      kr.codeb.testkit.internal.MemShell.Outcome outcome =
          kr.codeb.testkit.internal.MemShell.interpret(spec);
      assertEquals(List.of(new kr.codeb.runtime.LogLine(kr.codeb.runtime.LogLine.Source.STDOUT,
          "a=x y $A x y"), new kr.codeb.runtime.LogLine(kr.codeb.runtime.LogLine.Source.STDERR,
          "b;c")), outcome.logs());
      assertEquals(Optional.of(7), outcome.exitCode());
    }

    @Test
    void theFactoryServesMemUris() {
      ProviderRegistry registry = ProviderRegistry.load(name -> null);
      try (ContainerRuntime a = registry.containerRuntime("mem:shared-test");
           ContainerRuntime b = registry.containerRuntime("mem:shared-test?http=true");
           ContainerRuntime c = registry.containerRuntime("mem:")) {
        ContainerId id = a.run(spec("one", "acme/web:1", List.of()));
        assertEquals(id, b.inspect(new ContainerId("one")).orElseThrow().id());
        assertTrue(c.inspect(new ContainerId("one")).isEmpty());
        assertEquals("mem:shared-test", a.info().location());
        assertTrue(a.remove(id));
      }
      assertThrows(InvalidRequestException.class, () -> registry.containerRuntime("mem:Bad Name"));
      assertThrows(InvalidRequestException.class, () -> registry.containerRuntime("mem:x?tls=1"));
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
      return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(3)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }
}
