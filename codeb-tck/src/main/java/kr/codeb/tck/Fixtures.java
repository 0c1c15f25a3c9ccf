package kr.codeb.tck;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.model.Slot;
import kr.codeb.ports.Allocation;
import kr.codeb.ports.PortRange;
import kr.codeb.ports.ProjectEntry;
import kr.codeb.ports.Registry;
import kr.codeb.ports.Revision;
import kr.codeb.ports.SlotPorts;

/** Registries the contracts start from, shaped like the fleet's real SSOT. */
public final class Fixtures {
  public static final Environment PRODUCTION = Environment.of("production");
  public static final Environment STAGING = Environment.of("staging");

  private Fixtures() {}

  /** The ranges of the seed's SSOT (system, production, staging, preview). */
  public static Map<Environment, PortRange> seedRanges() {
    Map<Environment, PortRange> ranges = new LinkedHashMap<>();
    ranges.put(Environment.SYSTEM, new PortRange(3000, 3099));
    ranges.put(PRODUCTION, new PortRange(4100, 4499));
    ranges.put(STAGING, new PortRange(4500, 4999));
    ranges.put(Environment.of("preview"), new PortRange(5000, 5499));
    return ranges;
  }

  /** A consistent registry with two projects in production and unknown fields at each level. */
  public static Registry consistent() {
    ProjectName worb = ProjectName.of("worb");
    ProjectName vsvs = ProjectName.of("vsvs-kr");
    Registry r = Registry.of(seedRanges())
        .withExtensions(Map.of("updatedBy", "ops", "servers", List.of("app", "edge")));
    r = r.withProject(new ProjectEntry(worb, Map.of(PRODUCTION, new SlotPorts(4100, 4101)),
        Map.of("repo", "github.com/acme/worb", "team", Map.of("owner", "kim"))));
    r = r.withProject(ProjectEntry.of(vsvs).withPorts(PRODUCTION, new SlotPorts(4102, 4103)));
    r = r.withAllocation(new Allocation(4100, worb, Slot.BLUE, Optional.empty(),
        Map.of("since", "2026-01-13")));
    r = r.withAllocation(new Allocation(4101, worb, Slot.GREEN, Optional.empty(), Map.of()));
    r = r.withAllocation(Allocation.of(4102, vsvs, Slot.BLUE, PRODUCTION));
    r = r.withAllocation(Allocation.of(4103, vsvs, Slot.GREEN, PRODUCTION));
    return r.withRevision(Revision.NONE);
  }
}
