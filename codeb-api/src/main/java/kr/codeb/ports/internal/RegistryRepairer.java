package kr.codeb.ports.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.ports.Allocation;
import kr.codeb.ports.FindingKind;
import kr.codeb.ports.PortChange;
import kr.codeb.ports.Registry;
import kr.codeb.ports.RepairPolicy;

/** Computes the repaired registry and the changes, under a {@link RepairPolicy}. Pure. */
public final class RegistryRepairer {
  private RegistryRepairer() {}

  /** The changes the policy allows, in port order of the claims, then of the records. */
  public static List<PortChange> changes(Registry registry, RepairPolicy policy) {
    List<PortChange> changes = new ArrayList<>();
    Map<Integer, List<Claim>> claims = RegistryChecker.claims(registry);
    claims.forEach((port, list) -> {
      if (list.size() != 1) {
        return; // claimed twice (or blue == green): a person decides
      }
      Claim claim = list.get(0);
      Optional<Allocation> before = registry.allocation(port);
      if (before.isPresent()
          && before.get().sameOwner(claim.project(), claim.slot(), claim.environment())) {
        return;
      }
      FindingKind fixes = before.isEmpty() ? FindingKind.MISSING_ALLOCATION
          : before.get().project().equals(claim.project()) ? FindingKind.SLOT_MISMATCH
          : FindingKind.OWNER_MISMATCH;
      Map<String, Object> kept = before.map(Allocation::extensions).orElse(Map.of());
      Allocation after = new Allocation(port, claim.project(), claim.slot(),
          Optional.of(claim.environment()), kept);
      changes.add(new PortChange(port, before, Optional.of(after), fixes));
    });
    if (policy.dropUnclaimed()) {
      registry.allocations().values().stream().filter(a -> !claims.containsKey(a.port()))
          .forEach(a -> changes.add(new PortChange(a.port(), Optional.of(a), Optional.empty(),
              registry.project(a.project()).isPresent() ? FindingKind.STALE_ALLOCATION
                  : FindingKind.ORPHAN_ALLOCATION)));
    }
    return changes;
  }

  /** The registry with the changes applied. */
  public static Registry apply(Registry registry, List<PortChange> changes) {
    Registry result = registry;
    for (PortChange change : changes) {
      Registry current = result;
      result = change.after().map(current::withAllocation)
          .orElseGet(() -> current.withoutAllocation(change.port()));
    }
    return result;
  }
}
