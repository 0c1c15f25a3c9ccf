package kr.codeb.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderRegistry;
import kr.codeb.dns.DnsProvider;
import kr.codeb.dns.RecordSet;
import kr.codeb.dns.RecordType;
import kr.codeb.model.DnsName;
import kr.codeb.tck.DnsProviderContract;
import org.junit.jupiter.api.Test;

class MemDnsProviderContractTest extends DnsProviderContract {
  private static final MemDnsProvider DNS = MemDnsProvider.create();

  @Override
  protected DnsProvider provider() {
    return DNS;
  }

  @Override
  protected void removeZone(DnsName zone) {
    DNS.deleteZone(zone);
  }

  @Test
  void foundThroughTheRegistryAndSharedByName() {
    ProviderRegistry registry = ProviderRegistry.load();
    DnsName zone = DnsName.of("shared.test");
    try (DnsProvider one = registry.dnsProvider("mem:shared-dns");
        DnsProvider two = registry.dnsProvider("mem:shared-dns")) {
      assertInstanceOf(MemDnsProvider.class, one);
      one.ensureZone(zone, List.of());
      one.upsert(zone, new RecordSet(DnsName.of("a.shared.test"), RecordType.A, 60, List.of("203.0.113.1")));
      assertEquals(1, two.recordSets(zone).size());
    }
    try (DnsProvider fresh = registry.dnsProvider("mem:")) {
      assertEquals(List.of(), fresh.zones());
    }
    assertThrows(InvalidRequestException.class, () -> registry.dnsProvider("mem:x?y=1"));
  }
}
