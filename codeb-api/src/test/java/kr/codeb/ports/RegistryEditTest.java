package kr.codeb.ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.model.Slot;
import org.junit.jupiter.api.Test;

/** The edits a store can apply for its caller: pure, idempotent, validated. */
class RegistryEditTest {
  static final Environment PROD = PortOperationsTest.PROD;
  static final ProjectName ACME = ProjectName.of("acme");

  @Test
  void allocateTakesTheLowestFreePairAndSaysItCreatedIt() {
    Registry seed = PortOperationsTest.seed();
    RegistryEdit.Applied<ProjectPorts> applied = RegistryEdit.Allocate.of(ACME, PROD).apply(seed);
    assertEquals(new ProjectPorts(ACME, PROD, new SlotPorts(4104, 4105), true),
        applied.outcome());
    Registry after = applied.registry();
    assertEquals(new SlotPorts(4104, 4105), after.ports(ACME, PROD).orElseThrow());
    assertEquals(Allocation.of(4104, ACME, Slot.BLUE, PROD), after.allocation(4104).orElseThrow());
    assertEquals(Allocation.of(4105, ACME, Slot.GREEN, PROD), after.allocation(4105).orElseThrow());
    assertEquals(seed.revision(), after.revision(), "the store, not the edit, sets revisions");
    assertTrue(seed.project(ACME).isEmpty(), "the given registry is not changed");
  }

  @Test
  void allocateIsIdempotent() {
    RegistryEdit.Allocate edit = RegistryEdit.Allocate.of(ACME, PROD);
    Registry once = edit.apply(PortOperationsTest.seed()).registry();
    RegistryEdit.Applied<ProjectPorts> again = edit.apply(once);
    assertSame(once, again.registry(), "nothing changes when the project holds ports");
    assertEquals(new ProjectPorts(ACME, PROD, new SlotPorts(4104, 4105), false), again.outcome());
  }

  @Test
  void allocateSkipsPortsInUseAndFailsWhenTheRangeIsFull() {
    Registry tiny = Registry.of(Map.of(PROD, new PortRange(7000, 7003)));
    RegistryEdit.Applied<ProjectPorts> a =
        new RegistryEdit.Allocate(ProjectName.of("a"), PROD, Set.of(7000)).apply(tiny);
    assertEquals(new SlotPorts(7001, 7002), a.outcome().ports());
    ConflictException full = assertThrows(ConflictException.class,
        () -> RegistryEdit.Allocate.of(ProjectName.of("b"), PROD).apply(a.registry()));
    assertTrue(full.getMessage().contains("no free pair") && full.getMessage().contains("7000-7003"),
        full.getMessage());
  }

  @Test
  void undefinedAndSystemEnvironmentsAreRefusedByBothEdits() {
    Registry seed = PortOperationsTest.seed();
    for (RegistryEdit<?> edit : List.<RegistryEdit<?>>of(
        RegistryEdit.Allocate.of(ACME, Environment.of("qa")),
        new RegistryEdit.Release(ACME, Environment.of("qa")))) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> edit.apply(seed));
      assertTrue(e.getMessage().contains("'qa' is not defined")
          && e.getMessage().contains("production, staging, preview"), e.getMessage());
    }
    InvalidRequestException system = assertThrows(InvalidRequestException.class,
        () -> RegistryEdit.Allocate.of(ACME, Environment.SYSTEM).apply(seed));
    assertTrue(system.getMessage().contains("reserved"), system.getMessage());
  }

  @Test
  void releaseRemovesTheProjectsPortsAndRecordsOnceAndIsIdempotent() {
    Registry held = RegistryEdit.Allocate.of(ACME, PROD).apply(PortOperationsTest.seed())
        .registry();
    RegistryEdit.Release release = new RegistryEdit.Release(ACME, PROD);
    RegistryEdit.Applied<Boolean> first = release.apply(held);
    assertTrue(first.outcome());
    assertTrue(first.registry().project(ACME).isEmpty());
    assertTrue(first.registry().allocation(4104).isEmpty());
    assertTrue(first.registry().allocation(4105).isEmpty());
    assertTrue(first.registry().sameContent(PortOperationsTest.seed()));
    RegistryEdit.Applied<Boolean> second = release.apply(first.registry());
    assertFalse(second.outcome());
    assertSame(first.registry(), second.registry());
  }

  @Test
  void constructorsRefuseBadInput() {
    assertThrows(NullPointerException.class, () -> RegistryEdit.Allocate.of(null, PROD));
    assertThrows(NullPointerException.class, () -> new RegistryEdit.Release(ACME, null));
    assertThrows(NullPointerException.class, () -> new RegistryEdit.Allocate(ACME, PROD, null));
    InvalidRequestException zero = assertThrows(InvalidRequestException.class,
        () -> new RegistryEdit.Allocate(ACME, PROD, Set.of(0)));
    assertTrue(zero.getMessage().contains("port in use 0 is outside 1-65535"), zero.getMessage());
    assertThrows(InvalidRequestException.class,
        () -> new RegistryEdit.Allocate(ACME, PROD, Set.of(70000)));
    InvalidRequestException nullPort = assertThrows(InvalidRequestException.class,
        () -> new RegistryEdit.Allocate(ACME, PROD, new HashSet<>(Arrays.asList(4100, null))));
    assertTrue(nullPort.getMessage().contains("null"), nullPort.getMessage());
  }

  @Test
  void portsInUseAreASortedUnmodifiableCopy() {
    Set<Integer> given = new HashSet<>(List.of(5000, 4105, 4200));
    RegistryEdit.Allocate edit = new RegistryEdit.Allocate(ACME, PROD, given);
    given.add(4104);
    assertEquals(List.of(4105, 4200, 5000), List.copyOf(edit.portsInUse()));
    assertThrows(UnsupportedOperationException.class, () -> edit.portsInUse().add(1));
    assertEquals(edit, new RegistryEdit.Allocate(ACME, PROD, Set.of(4200, 5000, 4105)));
  }

  @Test
  void theDefaultApplyGoesThroughModifyAndReturnsTheOutcome() {
    PortOperationsTest.TinyStore store = new PortOperationsTest.TinyStore(
        PortOperationsTest.seed());
    ProjectPorts got = store.apply(RegistryEdit.Allocate.of(ACME, PROD));
    assertEquals(new ProjectPorts(ACME, PROD, new SlotPorts(4104, 4105), true), got);
    assertEquals(new SlotPorts(4104, 4105), store.read().ports(ACME, PROD).orElseThrow());
    assertTrue(store.apply(new RegistryEdit.Release(ACME, PROD)));
    assertFalse(store.apply(new RegistryEdit.Release(ACME, PROD)));
    Registry before = store.read();
    Registry tiny = Registry.of(Map.of(PROD, new PortRange(7000, 7001)));
    PortOperationsTest.TinyStore full = new PortOperationsTest.TinyStore(
        RegistryEdit.Allocate.of(ProjectName.of("a"), PROD).apply(tiny).registry());
    Registry fullBefore = full.read();
    assertThrows(ConflictException.class,
        () -> full.apply(RegistryEdit.Allocate.of(ProjectName.of("b"), PROD)));
    assertEquals(fullBefore, full.read(), "a failed edit writes nothing");
    assertEquals(before, store.read());
  }
}
