package kr.codeb.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.ProviderInfo;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.ports.PortRange;
import kr.codeb.ports.ProjectEntry;
import kr.codeb.ports.Registry;
import kr.codeb.ports.RegistryEdit;
import kr.codeb.ports.SlotPorts;
import org.junit.jupiter.api.Test;

/** The audit entry of a recorded placement (a project on several app servers). */
class SsotAuditPlacementTest {
  static final Environment PROD = Environment.of("production");
  static final ProjectName SHOP = ProjectName.of("shop");

  @Test
  void aChangedPlacementIsRecordedWithBeforeAndAfterAndAnUnchangedOneIsNot() {
    ProjectEntry shop = ProjectEntry.of(SHOP).withPorts(PROD, new SlotPorts(4100, 4101));
    Registry before = Registry.of(Map.of(PROD, new PortRange(4100, 4199))).withProject(shop);
    RegistryEdit.Place place = new RegistryEdit.Place(SHOP, PROD, List.of("app1", "app2"));
    ProviderInfo store = new ProviderInfo("file", "ssot.json");
    AuditContext who = new AuditContext("ci@runner1", "deploy");
    List<AuditEntry> first = SsotAudit.entries(place, Boolean.TRUE, before, store,
        Instant.EPOCH, who);
    assertEquals(1, first.size(), first.toString());
    AuditEntry e = first.get(0);
    assertEquals("place", e.action());
    assertEquals(Optional.of(SHOP), e.project());
    assertEquals("null", e.before());
    assertEquals("{\"servers\":[\"app1\",\"app2\"]}", e.after());
    assertEquals(true, e.target().endsWith("/placement"), e.target());

    Registry placed = before.withProject(shop.withPlacement(PROD, List.of("app1")));
    AuditEntry moved = SsotAudit.entries(place, Boolean.TRUE, placed, store, Instant.EPOCH, who)
        .get(0);
    assertEquals("{\"servers\":[\"app1\"]}", moved.before());
    assertEquals(List.of(), SsotAudit.entries(place, Boolean.FALSE, placed, store,
        Instant.EPOCH, who), "the same placement again changed nothing");
  }
}
