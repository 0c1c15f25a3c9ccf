package kr.codeb.ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderConfig;
import kr.codeb.ProviderInfo;
import kr.codeb.ProviderRegistry;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.model.Slot;
import org.junit.jupiter.api.Test;

/** Port operations over a minimal store, on the seed's own registry. */
class PortOperationsTest {
  static final Environment PROD = Environment.of("production");
  static final ProjectName WORB = ProjectName.of("worb");
  static final ProjectName VSVS = ProjectName.of("vsvs-kr");
  static final ProjectName HOMEPAGE = ProjectName.of("w-homepage-react");

  /** The seed's SSOT as the user's servers hold it. */
  static Registry seed() {
    Map<Environment, PortRange> ranges = new LinkedHashMap<>();
    ranges.put(Environment.SYSTEM, new PortRange(3000, 3099));
    ranges.put(PROD, new PortRange(4100, 4499));
    ranges.put(Environment.of("staging"), new PortRange(4500, 4999));
    ranges.put(Environment.of("preview"), new PortRange(5000, 5499));
    return Registry.of(ranges)
        .withProject(ProjectEntry.of(WORB).withPorts(PROD, new SlotPorts(4100, 4101)))
        .withProject(ProjectEntry.of(VSVS).withPorts(PROD, new SlotPorts(4102, 4103)))
        .withAllocation(record(4100, WORB, Slot.BLUE))
        .withAllocation(record(4101, HOMEPAGE, Slot.BLUE))
        .withAllocation(record(4102, VSVS, Slot.BLUE))
        .withAllocation(record(4103, VSVS, Slot.GREEN));
  }

  static Allocation record(int port, ProjectName p, Slot s) {
    return new Allocation(port, p, s, Optional.empty(), Map.of());
  }

  /** The smallest correct store, so these tests depend on nothing but codeb-api. */
  static final class TinyStore implements SsotStore, CompareAndSet.Storage {
    private Registry current;
    private final AtomicLong writes = new AtomicLong();

    TinyStore(Registry initial) {
      current = initial.withRevision(new Revision("r0"));
    }

    @Override
    public ProviderInfo info() {
      return new ProviderInfo("tiny", "test");
    }

    @Override
    public synchronized Registry read() {
      return current;
    }

    @Override
    public synchronized Optional<Registry> storeIfUnchanged(Revision expected, Registry after) {
      if (!expected.equals(current.revision())) {
        return Optional.empty();
      }
      current = after.withRevision(new Revision("r" + writes.incrementAndGet()));
      return Optional.of(current);
    }

    @Override
    public String location() {
      return "test";
    }

    @Override
    public <T> T apply(RegistryEdit<T> edit) {
      return CompareAndSet.apply(this, edit);
    }

    @Override
    public void close() {}
  }

  @Test
  void checkFindsTheSeedsConflictAndOrphanAndNothingElse() {
    List<Finding> findings = PortOperations.check(seed());
    assertEquals(2, findings.size(), findings::toString);
    Finding mismatch = findings.get(0);
    assertEquals(FindingKind.OWNER_MISMATCH, mismatch.kind());
    assertEquals(Optional.of(4101), mismatch.port());
    assertEquals(List.of("worb", "w-homepage-react"), mismatch.projects());
    assertTrue(mismatch.message().contains("worb's green port"), mismatch.message());
    Finding orphan = findings.get(1);
    assertEquals(FindingKind.ORPHAN_ALLOCATION, orphan.kind());
    assertEquals(List.of("w-homepage-react"), orphan.projects());
  }

  @Test
  void allocateTakesTheLowestFreePairInTheSsotsRange() {
    TinyStore store = new TinyStore(seed());
    ProjectPorts acme = new PortOperations(store).allocate(ProjectName.of("acme"), PROD);
    assertEquals(new SlotPorts(4104, 4105), acme.ports());
    assertTrue(acme.created());
    Registry after = store.read();
    assertEquals(Optional.of(Allocation.of(4104, ProjectName.of("acme"), Slot.BLUE, PROD)),
        after.allocation(4104));
    assertEquals(PortOperations.check(seed()), PortOperations.check(after),
        "allocation must not add findings");
  }

  @Test
  void rangesComeFromTheSsotNotFromCode() {
    Registry custom = Registry.of(Map.of(PROD, new PortRange(7000, 7003)));
    TinyStore store = new TinyStore(custom);
    PortOperations ops = new PortOperations(store, () -> java.util.Set.of(7000));
    assertEquals(new SlotPorts(7001, 7002), ops.allocate(ProjectName.of("a"), PROD).ports());
    ConflictException full =
        assertThrows(ConflictException.class, () -> ops.allocate(ProjectName.of("b"), PROD));
    assertTrue(full.getMessage().contains("7000-7003"), full.getMessage());
  }

  @Test
  void allocationSkipsOrphanedAndConflictingPorts() {
    Registry r = seed().withAllocation(record(4104, HOMEPAGE, Slot.GREEN));
    TinyStore store = new TinyStore(r);
    assertEquals(new SlotPorts(4105, 4106),
        new PortOperations(store).allocate(ProjectName.of("acme"), PROD).ports());
  }

  @Test
  void releaseKeepsEntriesWithUnknownFields() {
    Registry r = seed().withProject(new ProjectEntry(VSVS,
        Map.of(PROD, new SlotPorts(4102, 4103)), Map.of("domain", "vsvs.kr")));
    TinyStore store = new TinyStore(r);
    assertTrue(new PortOperations(store).release(VSVS, PROD));
    ProjectEntry kept = store.read().project(VSVS).orElseThrow();
    assertTrue(kept.ports().isEmpty());
    assertEquals(Map.of("domain", "vsvs.kr"), kept.extensions());
    assertTrue(store.read().allocation(4102).isEmpty());
  }

  @Test
  void releaseNeverRemovesAnotherProjectsRecord() {
    TinyStore store = new TinyStore(seed());
    assertTrue(new PortOperations(store).release(WORB, PROD));
    assertEquals(HOMEPAGE, store.read().allocation(4101).orElseThrow().project());
    assertTrue(store.read().allocation(4100).isEmpty());
  }

  @Test
  void repairRewritesTheMismatchKeepsOrphansByDefaultAndReportsIt() {
    TinyStore store = new TinyStore(seed());
    RepairReport dry = new PortOperations(store).repair(new RepairPolicy(false, true));
    assertFalse(dry.written());
    assertEquals(seed().allocations(), store.read().allocations(), "dry run wrote");
    RepairReport report = new PortOperations(store).repair(RepairPolicy.defaults());
    assertEquals(dry.changes(), report.changes());
    assertEquals(1, report.changes().size());
    PortChange change = report.changes().get(0);
    assertEquals(FindingKind.OWNER_MISMATCH, change.fixes());
    assertEquals("4101: w-homepage-react/blue -> worb/production/green [owner-mismatch]",
        change.describe());
    assertEquals(List.of(), report.remaining());
    assertEquals(WORB, store.read().allocation(4101).orElseThrow().project());
  }

  @Test
  void repairDropsUnclaimedRecordsOnlyWhenAsked() {
    Registry r = seed().withAllocation(record(4200, HOMEPAGE, Slot.BLUE));
    TinyStore store = new TinyStore(r);
    RepairReport kept = new PortOperations(store).repair(RepairPolicy.defaults());
    assertEquals(FindingKind.ORPHAN_ALLOCATION, kept.remaining().get(0).kind());
    assertTrue(store.read().allocation(4200).isPresent());
    RepairReport dropped = new PortOperations(store).repair(new RepairPolicy(true, false));
    assertEquals(List.of(), dropped.remaining());
    assertTrue(store.read().allocation(4200).isEmpty());
  }

  @Test
  void repairNeverTouchesWhatNeedsAPerson() {
    Registry r = seed()
        .withProject(ProjectEntry.of(ProjectName.of("dup")).withPorts(PROD, new SlotPorts(4102, 4300)))
        .withProject(ProjectEntry.of(ProjectName.of("same")).withPorts(PROD, new SlotPorts(4400, 4400)))
        .withProject(ProjectEntry.of(ProjectName.of("far")).withPorts(PROD, new SlotPorts(9000, 9001)));
    List<FindingKind> kinds = PortOperations.check(r).stream().map(Finding::kind).toList();
    assertTrue(kinds.containsAll(List.of(FindingKind.DUPLICATE_PORT, FindingKind.SAME_BLUE_GREEN,
        FindingKind.OUT_OF_RANGE, FindingKind.MISSING_ALLOCATION)), kinds::toString);
    TinyStore store = new TinyStore(r);
    RepairReport report = new PortOperations(store).repair(RepairPolicy.defaults());
    assertTrue(report.changes().stream().noneMatch(c -> c.port() == 4102 || c.port() == 4400),
        report.changes()::toString);
    List<FindingKind> left = report.remaining().stream().map(Finding::kind).toList();
    assertTrue(left.containsAll(List.of(FindingKind.DUPLICATE_PORT, FindingKind.SAME_BLUE_GREEN,
        FindingKind.OUT_OF_RANGE)), left::toString);
    assertFalse(left.contains(FindingKind.MISSING_ALLOCATION), left::toString);
  }

  @Test
  void overlappingRangesAndUnknownEnvironmentsAreFound() {
    Map<Environment, PortRange> ranges = new LinkedHashMap<>();
    ranges.put(PROD, new PortRange(4100, 4499));
    ranges.put(Environment.of("staging"), new PortRange(4400, 4999));
    Registry r = Registry.of(ranges).withProject(
        ProjectEntry.of(WORB).withPorts(Environment.of("qa"), new SlotPorts(6000, 6001)));
    List<FindingKind> kinds = PortOperations.check(r).stream().map(Finding::kind).toList();
    assertTrue(kinds.contains(FindingKind.OVERLAPPING_RANGES), kinds::toString);
    assertTrue(kinds.contains(FindingKind.UNKNOWN_ENVIRONMENT), kinds::toString);
  }

  @Test
  void compareAndSetRunsTheEditAgainAfterALostRace() {
    TinyStore inner = new TinyStore(seed());
    int[] races = {0};
    CompareAndSet.Storage racing = new CompareAndSet.Storage() {
      @Override public Registry read() { return inner.read(); }
      @Override public Optional<Registry> storeIfUnchanged(Revision expected, Registry after) {
        if (races[0]++ < 3) {
          // Another writer takes 4104-4105 (and more) between this read and this write.
          Registry other = inner.read();
          inner.storeIfUnchanged(other.revision(), RegistryEdit.Allocate
              .of(ProjectName.of("other" + races[0]), PROD).apply(other).registry());
        }
        return inner.storeIfUnchanged(expected, after);
      }
      @Override public String location() { return "racing"; }
    };
    ProjectPorts acme = CompareAndSet.apply(racing, RegistryEdit.Allocate.of(
        ProjectName.of("acme"), PROD));
    assertEquals(4, races[0]);
    assertEquals(new SlotPorts(4110, 4111), acme.ports(), "the last run is the stored one");
    assertEquals(Optional.of(new SlotPorts(4110, 4111)),
        inner.read().ports(ProjectName.of("acme"), PROD));
    assertEquals(List.of(), PortOperations.check(inner.read()).stream()
        .filter(f -> f.projects().contains("acme")).toList());
  }

  @Test
  void compareAndSetPassesTheEditsOwnConflictOnAtOnce() {
    TinyStore store = new TinyStore(Registry.of(Map.of(PROD, new PortRange(7000, 7001))));
    store.apply(RegistryEdit.Allocate.of(ProjectName.of("a"), PROD));
    int[] writes = {0};
    CompareAndSet.Storage counting = new CompareAndSet.Storage() {
      @Override public Registry read() { return store.read(); }
      @Override public Optional<Registry> storeIfUnchanged(Revision expected, Registry after) {
        writes[0]++;
        return store.storeIfUnchanged(expected, after);
      }
      @Override public String location() { return "counting"; }
    };
    assertThrows(ConflictException.class, () -> CompareAndSet.apply(counting,
        RegistryEdit.Allocate.of(ProjectName.of("b"), PROD)));
    assertEquals(0, writes[0]);
  }

  @Test
  void repairIsAnIdempotentEdit() {
    RepairReport first = new RegistryEdit.Repair(true).apply(seed()).outcome();
    Registry repaired = new RegistryEdit.Repair(true).apply(seed()).registry();
    assertTrue(first.written());
    RegistryEdit.Applied<RepairReport> again = new RegistryEdit.Repair(true).apply(repaired);
    assertEquals(repaired, again.registry());
    assertEquals(List.of(), again.outcome().changes());
    assertFalse(again.outcome().written());
  }

}
