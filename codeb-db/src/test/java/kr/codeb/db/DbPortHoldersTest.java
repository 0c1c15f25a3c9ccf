package kr.codeb.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kr.codeb.ConflictException;
import kr.codeb.NotFoundException;
import kr.codeb.UnavailableException;
import kr.codeb.fleet.Role;
import kr.codeb.fleet.Server;
import kr.codeb.fleet.ServerLink;
import kr.codeb.fleet.SshEndpoint;
import kr.codeb.model.Environment;
import kr.codeb.model.IpAddress;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.PortRange;
import kr.codeb.ports.Registry;
import kr.codeb.ports.RegistryEdit;
import kr.codeb.ports.ServicePort;
import kr.codeb.runtime.ContainerId;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.PortBinding;
import kr.codeb.testkit.MemContainerRuntime;
import kr.codeb.testkit.MemSsotStore;
import org.junit.jupiter.api.Test;

/**
 * A database container is never started on a port another holder has on the storage server:
 * a left-over container of its engine (named in the error), or a process that is no container
 * (found by a TCP probe on the server); and a new port skips the ports the engine holds.
 */
class DbPortHoldersTest {
  static final Environment PROD = Environment.of("production");
  static final ProjectName SHOP = ProjectName.of("shop");
  static final String PRIVATE = "10.0.0.20";

  final MemContainerRuntime engine = MemContainerRuntime.create();
  final FakeLink link = new FakeLink();

  MemSsotStore ssot(boolean shopHoldsPostgres) {
    Map<Environment, PortRange> ranges = new LinkedHashMap<>();
    ranges.put(PROD, new PortRange(4100, 4199));
    ranges.put(DbContext.STORAGE_RANGE, new PortRange(6000, 6009));
    Registry r = RegistryEdit.Allocate.of(SHOP, PROD).apply(Registry.of(ranges)).registry();
    if (shopHoldsPostgres) {
      r = new RegistryEdit.ClaimServicePort(SHOP, PROD, "postgres", DbContext.STORAGE_RANGE)
          .apply(r).registry();
    }
    return MemSsotStore.create(r);
  }

  Databases databases(MemSsotStore ssot) {
    Server db1 = new Server("db1", Set.of(Role.STORAGE), IpAddress.of("203.0.113.20"),
        IpAddress.of(PRIVATE), IpAddress.of(PRIVATE), Optional.empty(),
        Map.of("runtime", URI.create("mem:storage")), Optional.of(SshEndpoint.of("root", PRIVATE, 22)),
        List.of());
    return new Databases(new DbContext(ssot, new StorageServer(db1, engine, link, "docker",
        StorageServer.DEFAULT_DATA_DIR), Optional.empty(), List.of(), DbContext.STORAGE_RANGE));
  }

  /** A container as an earlier run left it: host network, its port in the label. */
  void leftover(String name, int port, List<PortBinding> published) {
    Map<String, String> labels = new HashMap<>();
    labels.put("codeb.project", "old");
    labels.put("codeb.port", String.valueOf(port));
    engine.run(new ContainerSpec(name, "codeb-test/db:bookworm", labels, Map.of(), published,
        List.of("postgres")));
  }

  @Test
  void aLeftOverContainerOnTheHeldPortStopsTheStepBeforeAnythingStarts() {
    leftover("old-production-postgres", 6000, List.of());
    MemSsotStore ssot = ssot(true);
    ConflictException e = assertThrows(ConflictException.class, () ->
        databases(ssot).create(DbRequest.of(SHOP, PROD, DbKind.POSTGRES)));
    String m = e.getMessage();
    assertTrue(m.contains("port 6000 on storage server db1 (" + PRIVATE + ")"), m);
    assertTrue(m.contains("container old-production-postgres (running, project old"), m);
    assertTrue(m.contains("docker rm -f old-production-postgres"), m);
    assertFalse(engine.inspect(new ContainerId("shop-production-postgres")).isPresent());
    assertTrue(link.probes.isEmpty(), "the engine named the holder: no probe needed");
  }

  @Test
  void aNewPortSkipsPortsTheEngineHoldsByLabelOrPublished() {
    leftover("old-production-postgres", 6000, List.of());
    leftover("web", 6005, List.of(new PortBinding(IpAddress.of("127.0.0.1"), 6001, 80)));
    engine.stop(new ContainerId("web"), Duration.ZERO); // stopped: it takes both back on restart
    MemSsotStore ssot = ssot(false);
    UnavailableException e = assertThrows(UnavailableException.class, () ->
        databases(ssot).create(DbRequest.of(SHOP, PROD, DbKind.POSTGRES)));
    assertEquals(FakeLink.NO_TUNNEL, e.getMessage());
    assertEquals(Optional.of(6002), ServicePort.held(ssot.read(), SHOP, PROD, "postgres")
        .map(ServicePort::port));
    assertEquals("6002", engine.inspect(new ContainerId("shop-production-postgres"))
        .orElseThrow().labels().get("codeb.port"));
    assertEquals(List.of("/dev/tcp/" + PRIVATE + "/6002"), link.probes);
  }

  @Test
  void aListenerThatIsNoContainerIsFoundByTheProbe() {
    link.accepts = true;
    MemSsotStore ssot = ssot(true);
    ConflictException e = assertThrows(ConflictException.class, () ->
        databases(ssot).create(DbRequest.of(SHOP, PROD, DbKind.REDIS)));
    // redis had no port yet: 6000 is postgres', so redis gets 6001, and something listens there
    assertTrue(e.getMessage().contains("port 6001 on storage server db1 (" + PRIVATE + ")"
        + " already accepts connections, from no container"), e.getMessage());
    assertFalse(engine.inspect(new ContainerId("shop-production-redis")).isPresent());
  }

  @Test
  void itsOwnRunningContainerOnThePortIsNoConflict() {
    // the same container on its port with another version: replaced, not refused, no probe
    link.accepts = true;
    Map<String, String> labels = new HashMap<>();
    labels.put("codeb.project", "shop");
    labels.put("codeb.port", "6000");
    labels.put("codeb.version", "15");
    engine.run(new ContainerSpec("shop-production-postgres", "postgres:15", labels, Map.of(),
        List.of(), List.of("postgres")));
    MemSsotStore ssot = ssot(true);
    UnavailableException e = assertThrows(UnavailableException.class, () ->
        databases(ssot).create(DbRequest.of(SHOP, PROD, DbKind.POSTGRES)));
    assertEquals(FakeLink.NO_TUNNEL, e.getMessage());
    assertEquals(DbKind.POSTGRES.defaultVersion(), engine.inspect(
        new ContainerId("shop-production-postgres")).orElseThrow().labels().get("codeb.version"));
    assertTrue(link.probes.isEmpty());
  }

  @Test
  void severalAreAllStartedInOrderBeforeAnyIsWaitedFor() {
    MemSsotStore ssot = ssot(false);
    UnavailableException e = assertThrows(UnavailableException.class, () ->
        databases(ssot).create(List.of(DbRequest.of(SHOP, PROD, DbKind.POSTGRES),
            DbRequest.of(SHOP, PROD, DbKind.REDIS))));
    // both containers run (the readiness wait, through a tunnel, is where both fail), ports in
    // the order asked; the first failure is thrown, the second kept as suppressed
    assertEquals(FakeLink.NO_TUNNEL, e.getMessage());
    assertEquals(1, e.getSuppressed().length);
    assertEquals(Optional.of(6000), ServicePort.held(ssot.read(), SHOP, PROD, "postgres")
        .map(ServicePort::port));
    assertEquals(Optional.of(6001), ServicePort.held(ssot.read(), SHOP, PROD, "redis")
        .map(ServicePort::port));
    assertTrue(engine.inspect(new ContainerId("shop-production-postgres")).orElseThrow()
        .isRunning());
    assertTrue(engine.inspect(new ContainerId("shop-production-redis")).orElseThrow()
        .isRunning());
  }

  @Test
  void aStartThatFailsStopsTheOthersBeforeTheyStart() {
    MemSsotStore ssot = ssot(false);
    ssot.apply(new RegistryEdit.ClaimServicePort(SHOP, PROD, "redis", DbContext.STORAGE_RANGE));
    leftover("old-production-redis", 6000, List.of());
    // redis, listed first, holds port 6000 where a left-over runs: nothing is started after it
    assertThrows(ConflictException.class, () -> databases(ssot).create(List.of(
        new DbRequest(SHOP, PROD, DbKind.REDIS, DbKind.REDIS.defaultVersion(), Optional.empty()),
        DbRequest.of(SHOP, PROD, DbKind.POSTGRES))));
    assertFalse(engine.inspect(new ContainerId("shop-production-redis")).isPresent());
    assertFalse(engine.inspect(new ContainerId("shop-production-postgres")).isPresent());
  }

  /**
   * The storage server's link: files in a map, shell commands succeed, the port probe answers
   * as {@link #accepts} says; tunnels are outside these tests (the step stops there).
   */
  static final class FakeLink implements ServerLink {
    static final String NO_TUNNEL = "tunnels are not part of this test";
    final Map<String, byte[]> files = new HashMap<>();
    final List<String> probes = new ArrayList<>();
    boolean accepts;

    @Override
    public SshEndpoint endpoint() {
      return SshEndpoint.of("root", PRIVATE, 22);
    }

    @Override
    public CommandResult run(String command, Duration timeout) {
      int at = command.indexOf("/dev/tcp/");
      if (at >= 0) {
        probes.add(command.substring(at, command.indexOf('\'', at)));
        return new CommandResult(0, accepts ? "0\n" : "1\n", "");
      }
      return new CommandResult(0, "", "");
    }

    @Override
    public void upload(InputStream content, String path, int mode) {
      try {
        files.put(path, content.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public byte[] download(String path, long maxBytes) {
      byte[] b = files.get(path);
      if (b == null) {
        throw new NotFoundException("no file " + path);
      }
      return b;
    }

    @Override
    public Forward forward(String host, int port) {
      throw new UnavailableException(NO_TUNNEL);
    }

    @Override
    public Bridge bridge(String command) {
      throw new UnavailableException(NO_TUNNEL);
    }

    @Override
    public void close() {}
  }
}
