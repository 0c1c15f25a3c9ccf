package kr.codeb.ports.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.model.Environment;
import kr.codeb.model.Slot;
import kr.codeb.ports.Allocation;
import kr.codeb.ports.Finding;
import kr.codeb.ports.FindingKind;
import kr.codeb.ports.PortRange;
import kr.codeb.ports.Registry;
import kr.codeb.ports.SlotPorts;

/** Finds the semantic inconsistencies of a registry. Pure: reads only its argument. */
public final class RegistryChecker {
  private final Registry registry;
  private final List<Finding> findings = new ArrayList<>();

  private RegistryChecker(Registry registry) {
    this.registry = registry;
  }

  public static List<Finding> check(Registry registry) {
    RegistryChecker checker = new RegistryChecker(registry);
    checker.checkRanges();
    Map<Integer, List<Claim>> claims = claims(registry);
    checker.checkProjects();
    checker.checkClaims(claims);
    checker.checkRecords(claims);
    return List.copyOf(checker.findings);
  }

  /** Every port claimed by project entries, with who claims it, in document order. */
  public static Map<Integer, List<Claim>> claims(Registry registry) {
    Map<Integer, List<Claim>> claims = new LinkedHashMap<>();
    registry.projects().values().forEach(p -> p.ports().forEach((env, ports) -> {
      for (Slot slot : Slot.values()) {
        int port = ports.port(slot);
        claims.computeIfAbsent(port, k -> new ArrayList<>())
            .add(new Claim(p.name(), env, slot, port));
      }
    }));
    return claims;
  }

  private void checkRanges() {
    List<Map.Entry<Environment, PortRange>> ranges = List.copyOf(registry.portRanges().entrySet());
    for (int i = 0; i < ranges.size(); i++) {
      for (int j = i + 1; j < ranges.size(); j++) {
        var a = ranges.get(i);
        var b = ranges.get(j);
        if (a.getValue().overlaps(b.getValue())) {
          add(FindingKind.OVERLAPPING_RANGES, null, List.of(),
              List.of(a.getKey().name(), b.getKey().name()),
              "port ranges overlap: " + a.getKey() + " " + a.getValue() + " and " + b.getKey()
                  + " " + b.getValue());
        }
      }
    }
  }

  private void checkProjects() {
    registry.projects().values().forEach(p -> p.ports().forEach((env, ports) -> {
      Optional<PortRange> range = registry.range(env);
      if (range.isEmpty()) {
        add(FindingKind.UNKNOWN_ENVIRONMENT, null, List.of(p.name().value()), List.of(env.name()),
            p.name() + " has ports in environment " + env + ", which portRanges does not define");
      }
      if (ports.blue() == ports.green()) {
        add(FindingKind.SAME_BLUE_GREEN, ports.blue(), List.of(p.name().value()),
            List.of(env.name()), p.name() + " uses port " + ports.blue()
                + " for both blue and green (" + env + ")");
      }
      range.ifPresent(r -> outOfRange(p.name().value(), env, ports, r));
    }));
  }

  private void outOfRange(String project, Environment env, SlotPorts ports, PortRange range) {
    for (Slot slot : Slot.values()) {
      int port = ports.port(slot);
      if (!range.contains(port) && (slot == Slot.BLUE || ports.green() != ports.blue())) {
        add(FindingKind.OUT_OF_RANGE, port, List.of(project), List.of(env.name()),
            project + "'s " + slot.id() + " port " + port + " is outside the " + env
                + " range " + range);
      }
    }
  }

  private void checkClaims(Map<Integer, List<Claim>> claims) {
    claims.forEach((port, list) -> {
      List<Claim> distinct = distinctOwners(list);
      if (distinct.size() > 1) {
        add(FindingKind.DUPLICATE_PORT, port,
            distinct.stream().map(c -> c.project().value()).distinct().toList(),
            distinct.stream().map(c -> c.environment().name()).distinct().toList(),
            "port " + port + " is claimed " + distinct.size() + " times: "
                + String.join(", ", distinct.stream().map(Claim::describe).toList()));
        return;
      }
      if (list.size() > 1) {
        return; // blue == green of one project: reported as same-blue-green
      }
      Claim claim = list.get(0);
      Optional<Allocation> record = registry.allocation(port);
      if (record.isEmpty()) {
        add(FindingKind.MISSING_ALLOCATION, port, List.of(claim.project().value()),
            List.of(claim.environment().name()),
            "port " + port + " is " + claim.describe() + " but ports.allocated has no record of it");
      } else if (!record.get().project().equals(claim.project())) {
        add(FindingKind.OWNER_MISMATCH, port,
            List.of(claim.project().value(), record.get().project().value()),
            List.of(claim.environment().name()),
            "port " + port + " is " + claim.describe() + " but ports.allocated records it for "
                + record.get().owner());
      } else if (!record.get().sameOwner(claim.project(), claim.slot(), claim.environment())) {
        add(FindingKind.SLOT_MISMATCH, port, List.of(claim.project().value()),
            List.of(claim.environment().name()),
            "port " + port + " is " + claim.describe() + " but ports.allocated records it as "
                + record.get().owner());
      }
    });
  }

  private void checkRecords(Map<Integer, List<Claim>> claims) {
    registry.allocations().values().forEach(a -> {
      List<String> envs = a.environment().map(e -> List.of(e.name())).orElse(List.of());
      // A record naming a project without an entry is an orphan even when another project's
      // entry claims the port (the seed's 4101): both facts are reported.
      if (registry.project(a.project()).isEmpty()) {
        add(FindingKind.ORPHAN_ALLOCATION, a.port(), List.of(a.project().value()), envs,
            "port " + a.port() + " is allocated to " + a.owner()
                + ", which has no project entry");
      } else if (!claims.containsKey(a.port())) {
        add(FindingKind.STALE_ALLOCATION, a.port(), List.of(a.project().value()), envs,
            "port " + a.port() + " is allocated to " + a.owner()
                + ", but that project's entry does not use it");
      }
      a.environment().flatMap(registry::range).filter(r -> !r.contains(a.port())).ifPresent(r ->
          add(FindingKind.OUT_OF_RANGE, a.port(), List.of(a.project().value()), envs,
              "allocated port " + a.port() + " is outside the " + a.environment().get()
                  + " range " + r));
    });
  }

  private static List<Claim> distinctOwners(List<Claim> claims) {
    Map<String, Claim> byOwner = new LinkedHashMap<>();
    claims.forEach(c -> byOwner.putIfAbsent(c.project() + "/" + c.environment(), c));
    return List.copyOf(byOwner.values());
  }

  private void add(FindingKind kind, Integer port, List<String> projects, List<String> envs,
      String message) {
    findings.add(new Finding(kind, Optional.ofNullable(port), projects, envs, message));
  }
}
