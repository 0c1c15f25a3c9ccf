package kr.codeb.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.model.Slot;
import kr.codeb.ports.Allocation;
import kr.codeb.ports.PortOperations;
import kr.codeb.ports.PortRange;
import kr.codeb.ports.ProjectEntry;
import kr.codeb.ports.ProjectPorts;
import kr.codeb.ports.Registry;
import kr.codeb.ports.RegistryEdit;
import kr.codeb.ports.RepairReport;
import kr.codeb.ports.SlotPorts;
import kr.codeb.ports.SsotStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SsotStore} must do. A store's test extends this once and says how to make
 * a store holding a given registry, and how to open a second, independent handle on the same
 * storage (for a file: another store object on the same path, as another process would).
 */
public abstract class SsotStoreContract {
  private final List<SsotStore> opened = new ArrayList<>();

  /** A new store whose storage holds {@code initial}. */
  protected abstract SsotStore newStore(Registry initial);

  /** A second handle on the same storage as {@code store}. */
  protected abstract SsotStore reopen(SsotStore store);

  private SsotStore store(Registry initial) {
    SsotStore s = newStore(initial);
    opened.add(s);
    return s;
  }

  private SsotStore again(SsotStore store) {
    SsotStore s = reopen(store);
    opened.add(s);
    return s;
  }

  @AfterEach
  final void closeStores() {
    opened.forEach(SsotStore::close);
  }

  @Test
  public final void readReturnsTheStoredContent() {
    Registry read = store(Fixtures.consistent()).read();
    assertTrue(read.sameContent(Fixtures.consistent()), () -> "read back: " + read);
  }

  @Test
  public final void revisionIsStableWhileNothingIsWritten() {
    SsotStore store = store(Fixtures.consistent());
    assertEquals(store.read().revision(), store.read().revision());
    assertEquals(store.read().revision(), again(store).read().revision());
  }

  @Test
  public final void anEditIsStoredWithANewRevision() {
    SsotStore store = store(Fixtures.consistent());
    Registry before = store.read();
    assertTrue(store.apply(new RegistryEdit.Release(ProjectName.of("worb"), Fixtures.PRODUCTION)));
    Registry after = again(store).read();
    assertNotEquals(before.revision(), after.revision());
    assertTrue(after.ports(ProjectName.of("worb"), Fixtures.PRODUCTION).isEmpty());
    assertTrue(after.allocation(4100).isEmpty());
    assertEquals(after.revision(), store.read().revision());
  }

  @Test
  public final void anEditThatChangesNothingWritesNothing() {
    SsotStore store = store(Fixtures.consistent());
    Registry before = store.read();
    assertFalse(store.apply(new RegistryEdit.Release(ProjectName.of("nobody"),
        Fixtures.PRODUCTION)));
    assertEquals(before.revision(), store.read().revision());
    assertEquals(before.revision(), again(store).read().revision());
  }

  @Test
  public final void anEditSeesWhatAnotherHandleWroteSinceThisOneRead() {
    SsotStore store = store(Fixtures.consistent());
    SsotStore other = again(store);
    store.read();
    other.apply(RegistryEdit.Allocate.of(ProjectName.of("first"), Fixtures.PRODUCTION));
    ProjectPorts second =
        store.apply(RegistryEdit.Allocate.of(ProjectName.of("second"), Fixtures.PRODUCTION));
    assertEquals(new SlotPorts(4106, 4107), second.ports());
    assertEquals(List.of(), PortOperations.check(store.read()).stream()
        .filter(f -> f.projects().contains("first") || f.projects().contains("second")).toList());
  }

  @Test
  public final void repairIsAnEditAndFixesOnlyWhatThePolicyAllows() {
    SsotStore store = store(Fixtures.consistent().withAllocation(
        Allocation.of(4104, ProjectName.of("ghost"), Slot.BLUE,
            Fixtures.PRODUCTION)));
    RepairReport kept = store.apply(new RegistryEdit.Repair(false));
    assertFalse(kept.written());
    assertTrue(store.read().allocation(4104).isPresent());
    RepairReport dropped = store.apply(new RegistryEdit.Repair(true));
    assertTrue(dropped.written());
    assertEquals(1, dropped.changes().size(), dropped.changes()::toString);
    assertTrue(again(store).read().allocation(4104).isEmpty());
    Registry repaired = store.read();
    RepairReport again = store.apply(new RegistryEdit.Repair(true));
    assertEquals(List.of(), again.changes());
    assertEquals(repaired.revision(), store.read().revision(), "a second repair writes nothing");
  }

  @Test
  public final void changesAreVisibleThroughAnotherHandle() {
    SsotStore store = store(Fixtures.consistent());
    new PortOperations(store).allocate(ProjectName.of("acme"), Fixtures.PRODUCTION);
    Registry seen = again(store).read();
    assertEquals(new SlotPorts(4104, 4105),
        seen.ports(ProjectName.of("acme"), Fixtures.PRODUCTION).orElseThrow());
  }

  @Test
  public final void allocationIsIdempotent() {
    PortOperations ops = new PortOperations(store(Fixtures.consistent()));
    ProjectPorts first = ops.allocate(ProjectName.of("acme"), Fixtures.STAGING);
    ProjectPorts second = ops.allocate(ProjectName.of("acme"), Fixtures.STAGING);
    assertTrue(first.created());
    assertFalse(second.created());
    assertEquals(new SlotPorts(4500, 4501), first.ports());
    assertEquals(first.ports(), second.ports());
  }

  @Test
  public final void allocationSkipsPortsInUseOnTheEngine() {
    SsotStore store = store(Fixtures.consistent());
    PortOperations ops = new PortOperations(store, () -> Set.of(4105, 4106));
    assertEquals(new SlotPorts(4107, 4108),
        ops.allocate(ProjectName.of("acme"), Fixtures.PRODUCTION).ports());
  }

  @Test
  public final void releaseIsIdempotentAndLeavesOtherProjectsAlone() {
    SsotStore store = store(Fixtures.consistent());
    PortOperations ops = new PortOperations(store);
    ops.allocate(ProjectName.of("acme"), Fixtures.PRODUCTION);
    Registry before = store.read();
    assertTrue(ops.release(ProjectName.of("acme"), Fixtures.PRODUCTION));
    assertFalse(ops.release(ProjectName.of("acme"), Fixtures.PRODUCTION));
    Registry after = store.read();
    assertTrue(after.project(ProjectName.of("acme")).isEmpty());
    assertTrue(after.allocation(4104).isEmpty());
    assertTrue(after.allocation(4105).isEmpty());
    assertEquals(before.projects().get(ProjectName.of("worb")),
        after.projects().get(ProjectName.of("worb")));
    assertEquals(Fixtures.consistent().allocations(), after.allocations());
  }

  @Test
  public final void unknownFieldsSurviveUpdates() {
    SsotStore store = store(Fixtures.consistent());
    new PortOperations(store).allocate(ProjectName.of("acme"), Fixtures.PRODUCTION);
    Registry after = store.read();
    Registry initial = Fixtures.consistent();
    assertEquals(initial.extensions(), after.extensions());
    ProjectEntry worb = after.project(ProjectName.of("worb")).orElseThrow();
    assertEquals(initial.project(ProjectName.of("worb")).orElseThrow().extensions(),
        worb.extensions());
    assertEquals(Map.of("since", "2026-01-13"), after.allocation(4100).orElseThrow().extensions());
  }

  @Test
  public final void concurrentAllocationsNeverShareAPort() throws Exception {
    SsotStore store = store(Fixtures.consistent());
    int threads = 8;
    int perThread = 10;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<ProjectPorts>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        SsotStore handle = again(store);
        int thread = t;
        futures.add(pool.submit(() -> {
          PortOperations ops = new PortOperations(handle);
          List<ProjectPorts> got = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            got.add(ops.allocate(ProjectName.of("p" + thread + "-" + i), Fixtures.PRODUCTION));
          }
          return got;
        }));
      }
      Set<Integer> ports = new HashSet<>();
      for (Future<List<ProjectPorts>> f : futures) {
        for (ProjectPorts p : f.get(120, TimeUnit.SECONDS)) {
          assertTrue(ports.add(p.ports().blue()), () -> "blue handed out twice: " + p);
          assertTrue(ports.add(p.ports().green()), () -> "green handed out twice: " + p);
        }
      }
      assertEquals(threads * perThread * 2, ports.size());
      Registry end = store.read();
      assertEquals(2 + threads * perThread, end.projects().size());
      assertEquals(List.of(), PortOperations.check(end));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  public final void applyStoresTheEditAndReturnsItsOutcome() {
    SsotStore store = store(Fixtures.consistent());
    ProjectName acme = ProjectName.of("acme");
    ProjectPorts created = store.apply(RegistryEdit.Allocate.of(acme, Fixtures.PRODUCTION));
    assertEquals(new ProjectPorts(acme, Fixtures.PRODUCTION, new SlotPorts(4104, 4105), true),
        created);
    Registry afterAllocate = again(store).read();
    assertEquals(new SlotPorts(4104, 4105),
        afterAllocate.ports(acme, Fixtures.PRODUCTION).orElseThrow());
    ProjectPorts held = store.apply(RegistryEdit.Allocate.of(acme, Fixtures.PRODUCTION));
    assertEquals(new ProjectPorts(acme, Fixtures.PRODUCTION, new SlotPorts(4104, 4105), false),
        held);
    assertEquals(afterAllocate.revision(), store.read().revision(), "a held pair writes nothing");
    assertTrue(store.apply(new RegistryEdit.Release(acme, Fixtures.PRODUCTION)));
    assertTrue(again(store).read().project(acme).isEmpty());
    Registry released = store.read();
    assertFalse(store.apply(new RegistryEdit.Release(acme, Fixtures.PRODUCTION)));
    assertEquals(released.revision(), store.read().revision(), "nothing to release, no write");
  }

  @Test
  public final void aFailingEditWritesNothingAndThrowsItsOwnException() {
    SsotStore store = store(Registry.of(Map.of(Fixtures.PRODUCTION, new PortRange(7000, 7001))));
    store.apply(RegistryEdit.Allocate.of(ProjectName.of("first"), Fixtures.PRODUCTION));
    Registry full = store.read();
    ConflictException conflict = assertThrows(ConflictException.class,
        () -> store.apply(RegistryEdit.Allocate.of(ProjectName.of("second"),
            Fixtures.PRODUCTION)));
    assertTrue(conflict.getMessage().contains("no free pair"), conflict.getMessage());
    InvalidRequestException undefined = assertThrows(InvalidRequestException.class,
        () -> store.apply(new RegistryEdit.Release(ProjectName.of("first"),
            Environment.of("qa"))));
    assertTrue(undefined.getMessage().contains("'qa' is not defined"), undefined.getMessage());
    assertEquals(full, store.read());
    assertEquals(full.revision(), again(store).read().revision());
  }

  @Test
  public final void environmentsOutsideTheSsotAreRefused() {
    PortOperations ops = new PortOperations(store(Fixtures.consistent()));
    var e = assertThrows(kr.codeb.InvalidRequestException.class,
        () -> ops.allocate(ProjectName.of("acme"), Environment.of("qa")));
    assertTrue(e.getMessage().contains("production, staging, preview"), e.getMessage());
    assertThrows(kr.codeb.InvalidRequestException.class,
        () -> ops.allocate(ProjectName.of("acme"), Environment.SYSTEM));
  }
}
