package kr.codeb.ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import org.junit.jupiter.api.Test;

/** The storage services' port edits and the range edit, on plain registries. */
class ServicePortEditTest {
  static final Environment PROD = Environment.of("production");
  static final Environment STORAGE = Environment.of("storage");
  static final ProjectName SHOP = ProjectName.of("shop");
  static final ProjectName BLOG = ProjectName.of("blog");

  static Registry registry() {
    Map<Environment, PortRange> ranges = new LinkedHashMap<>();
    ranges.put(PROD, new PortRange(4100, 4199));
    ranges.put(STORAGE, new PortRange(6000, 6002));
    Registry r = Registry.of(ranges);
    r = RegistryEdit.Allocate.of(SHOP, PROD).apply(r).registry();
    return RegistryEdit.Allocate.of(BLOG, PROD).apply(r).registry();
  }

  @Test
  void claimsTakeTheLowestFreePortAndAreIdempotent() {
    Registry r = registry();
    var first = new RegistryEdit.ClaimServicePort(SHOP, PROD, "postgres", STORAGE).apply(r);
    assertEquals(6000, first.outcome().port());
    assertTrue(first.outcome().created());
    var again = new RegistryEdit.ClaimServicePort(SHOP, PROD, "postgres", STORAGE)
        .apply(first.registry());
    assertSame(first.registry(), again.registry());
    assertFalse(again.outcome().created());
    var other = new RegistryEdit.ClaimServicePort(BLOG, PROD, "redis", STORAGE)
        .apply(first.registry());
    assertEquals(6001, other.outcome().port());
    assertEquals(Map.of("production", Map.of("postgres", Map.of("port", 6000))),
        first.registry().project(SHOP).orElseThrow().extensions().get("services"));
    // the slots stay where they were
    assertEquals(r.ports(SHOP, PROD), first.registry().ports(SHOP, PROD));
  }

  @Test
  void releaseRemovesOnlyThatServiceAndTheEmptyObjects() {
    Registry r = new RegistryEdit.ClaimServicePort(SHOP, PROD, "postgres", STORAGE)
        .apply(registry()).registry();
    r = new RegistryEdit.ClaimServicePort(SHOP, PROD, "redis", STORAGE).apply(r).registry();
    var released = new RegistryEdit.ReleaseServicePort(SHOP, PROD, "postgres").apply(r);
    assertTrue(released.outcome());
    assertEquals(Map.of("production", Map.of("redis", Map.of("port", 6001))),
        released.registry().project(SHOP).orElseThrow().extensions().get("services"));
    Registry none = new RegistryEdit.ReleaseServicePort(SHOP, PROD, "redis")
        .apply(released.registry()).registry();
    assertFalse(none.project(SHOP).orElseThrow().extensions().containsKey("services"));
    assertFalse(new RegistryEdit.ReleaseServicePort(SHOP, PROD, "redis").apply(none).outcome());
  }

  @Test
  void noStorageRangeOrNoProjectIsBadInputThatSaysWhatToDo() {
    Registry noRange = Registry.of(Map.of(PROD, new PortRange(4100, 4199)));
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () ->
        new RegistryEdit.ClaimServicePort(SHOP, PROD, "postgres", STORAGE).apply(noRange));
    assertTrue(e.getMessage().contains("we ssot range set storage"), e.getMessage());
    e = assertThrows(InvalidRequestException.class, () -> new RegistryEdit.ClaimServicePort(
        ProjectName.of("nope"), PROD, "postgres", STORAGE).apply(registry()));
    assertTrue(e.getMessage().contains("not in the SSOT"), e.getMessage());
  }

  @Test
  void aFullRangeIsAConflict() {
    Registry r = registry();
    for (String s : new String[] {"a", "b", "c"}) {
      r = new RegistryEdit.ClaimServicePort(SHOP, PROD, s, STORAGE).apply(r).registry();
    }
    Registry full = r;
    assertThrows(kr.codeb.ConflictException.class, () ->
        new RegistryEdit.ClaimServicePort(BLOG, PROD, "postgres", STORAGE).apply(full));
  }

  @Test
  void aRangeMayNotShrinkPastAHeldServicePort() {
    Registry r = new RegistryEdit.ClaimServicePort(SHOP, PROD, "postgres", STORAGE)
        .apply(registry()).registry();
    r = new RegistryEdit.ClaimServicePort(SHOP, PROD, "redis", STORAGE).apply(r).registry();
    Registry held = r;
    assertThrows(InvalidRequestException.class, () ->
        new RegistryEdit.SetRange(STORAGE, new PortRange(6000, 6000)).apply(held));
    assertTrue(new RegistryEdit.SetRange(STORAGE, new PortRange(6000, 6010)).apply(held)
        .outcome());
  }

  @Test
  void aClaimSkipsPortsInUseOnTheStorageEngineAndAHeldPortStays() {
    Registry r = registry();
    var claimed = new RegistryEdit.ClaimServicePort(SHOP, PROD, "postgres", STORAGE,
        java.util.Set.of(6000, 6001)).apply(r);
    assertEquals(6002, claimed.outcome().port());
    // once held, ports in use change nothing: the claim is idempotent
    var again = new RegistryEdit.ClaimServicePort(SHOP, PROD, "postgres", STORAGE,
        java.util.Set.of(6002)).apply(claimed.registry());
    assertSame(claimed.registry(), again.registry());
    assertEquals(6002, again.outcome().port());
    Registry taken = claimed.registry();
    kr.codeb.ConflictException full = assertThrows(kr.codeb.ConflictException.class, () ->
        new RegistryEdit.ClaimServicePort(BLOG, PROD, "redis", STORAGE,
            java.util.Set.of(6000, 6001)).apply(taken));
    assertTrue(full.getMessage().contains("6000-6002"), full.getMessage());
    java.util.Set<Integer> withNull = new java.util.HashSet<>();
    withNull.add(null);
    assertThrows(InvalidRequestException.class, () -> new RegistryEdit.ClaimServicePort(SHOP,
        PROD, "postgres", STORAGE, withNull));
    assertThrows(InvalidRequestException.class, () -> new RegistryEdit.ClaimServicePort(SHOP,
        PROD, "postgres", STORAGE, java.util.Set.of(70000)));
  }
}
