package kr.codeb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.dns.RecordSet;
import kr.codeb.dns.RecordType;
import kr.codeb.firewall.Protocol;
import kr.codeb.fleet.Role;
import kr.codeb.fleet.Server;
import kr.codeb.fleet.Topology;
import kr.codeb.model.DnsName;
import kr.codeb.model.IpAddress;
import kr.codeb.model.ProjectName;
import kr.codeb.model.Slot;
import kr.codeb.ports.PortRange;
import kr.codeb.ports.SlotPorts;
import kr.codeb.runtime.ContainerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelValidationTest {

  @Test
  void recordTypesAndProtocolsAreEnumsWithMessagesThatListWhatIsAllowed() {
    assertEquals(RecordType.AAAA, RecordType.of("aaaa"));
    InvalidRequestException type = assertThrows(InvalidRequestException.class,
        () -> RecordType.of("WKS"));
    assertTrue(type.getMessage().contains("unknown record type 'WKS'")
        && type.getMessage().contains("A, AAAA, CAA"), type.getMessage());
    assertTrue(RecordType.find("NSEC3").isEmpty());
    assertEquals(Protocol.UDP, Protocol.of(" UDP "));
    assertEquals("udp", Protocol.UDP.toString());
    assertTrue(Protocol.TCP.hasPorts() && !Protocol.ICMP.hasPorts());
    InvalidRequestException proto = assertThrows(InvalidRequestException.class,
        () -> Protocol.of("sctp"));
    assertTrue(proto.getMessage().contains("allowed are tcp, udp, icmp, gre, esp, ah"),
        proto.getMessage());
  }

  @Test
  void aTtlIsCheckedAsSecondsNotAsAPort() {
    assertEquals(86_400, RecordSet.requireTtl(86_400));
    assertEquals(100_000, RecordSet.requireTtl(100_000));
    InvalidRequestException zero = assertThrows(InvalidRequestException.class,
        () -> RecordSet.requireTtl(0));
    assertTrue(zero.getMessage().contains("a TTL is 1 to 2147483647 seconds"), zero.getMessage());
    assertFalse(zero.getMessage().contains("65535"), zero.getMessage());
    assertThrows(InvalidRequestException.class, () -> new RecordSet(DnsName.of("a.example"),
        RecordType.A, -5, List.of("203.0.113.1")));
  }


  @ParameterizedTest
  @ValueSource(strings = {"vsvs-kr", "w-homepage-react", "a", "worb", "a1-b2"})
  void acceptsDnsLabelProjectNames(String name) {
    assertEquals(name, ProjectName.of(name).value());
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "Acme", "", "1abc", "-abc", "abc-", "a_b", "a.b", "a b",
      "abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij"})
  void refusesOtherProjectNamesNamingTheRule(String name) {
    InvalidRequestException e =
        assertThrows(InvalidRequestException.class, () -> ProjectName.of(name));
    assertTrue(e.getMessage().contains("invalid project name"), e.getMessage());
    assertTrue(e.getMessage().contains("lowercase letters, digits and hyphens"), e.getMessage());
    assertEquals("invalid-request", e.kind());
    assertFalse(e.isRetryable());
  }

  @Test
  void messagesQuoteHugeOrControlInputShortly() {
    String huge = "x".repeat(10_000);
    String msg = assertThrows(InvalidRequestException.class, () -> ProjectName.of(huge))
        .getMessage();
    assertTrue(msg.length() < 300, msg);
    String ctl = assertThrows(InvalidRequestException.class, () -> ProjectName.of("a\nb"))
        .getMessage();
    assertFalse(ctl.contains("\n"), ctl);
  }

  @Test
  void portRangesAreValidated() {
    assertThrows(InvalidRequestException.class, () -> new PortRange(4500, 4499));
    assertThrows(InvalidRequestException.class, () -> new PortRange(0, 10));
    assertThrows(InvalidRequestException.class, () -> new PortRange(10, 70000));
    PortRange r = new PortRange(4100, 4499);
    assertTrue(r.contains(4100) && r.contains(4499) && !r.contains(4500));
    assertTrue(r.overlaps(new PortRange(4499, 4600)));
    assertFalse(r.overlaps(new PortRange(4500, 4600)));
    assertEquals(400, r.size());
  }

  @Test
  void slotsParseOnlyBlueAndGreen() {
    assertEquals(Slot.BLUE, Slot.parse("blue"));
    assertEquals(Slot.GREEN, Slot.BLUE.other());
    String msg = assertThrows(InvalidRequestException.class, () -> Slot.parse("red")).getMessage();
    assertTrue(msg.contains("blue, green"), msg);
  }

  @Test
  void slotPortsRefuseImpossiblePorts() {
    assertThrows(InvalidRequestException.class, () -> new SlotPorts(0, 4101));
    assertThrows(InvalidRequestException.class, () -> new SlotPorts(4100, 65536));
    assertEquals(Optional.of(Slot.GREEN), new SlotPorts(4100, 4101).slotOf(4101));
  }

  @Test
  void secretsNeverPrint() {
    Secret s = Secret.of("hunter2-api-key");
    assertFalse(s.toString().contains("hunter2"));
    assertEquals("hunter2-api-key", s.reveal());
    ProviderConfig config = new ProviderConfig(java.net.URI.create("vultr:///"),
        Map.of("api-key", s), n -> null);
    assertFalse(config.toString().contains("hunter2"));
  }

  @Test
  void containerSpecNeverPrintsEnvironmentValues() {
    ContainerSpec spec = new ContainerSpec("acme-production-blue", "localhost/acme:1",
        Map.of(), Map.of("DATABASE_PASSWORD", "s3cr3t-value"), List.of(), List.of());
    assertFalse(spec.toString().contains("s3cr3t"));
    assertTrue(spec.toString().contains("DATABASE_PASSWORD"));
    assertThrows(InvalidRequestException.class, () -> new ContainerSpec("x", "bad image",
        Map.of(), Map.of(), List.of(), List.of()));
  }

  @Test
  void ipAddressesAreLiteralsOnly() {
    assertEquals("10.0.0.5", IpAddress.of("10.0.0.5").value());
    assertEquals("fd00::5", IpAddress.of("FD00:0:0:0:0:0:0:5").value());
    for (String bad : List.of("example.com", "256.1.1.1", "1.2.3", "", "10.0.0.5/24", "::g")) {
      assertThrows(InvalidRequestException.class, () -> IpAddress.of(bad), bad);
    }
  }

  @Test
  void dnsNamesAreCanonical() {
    assertEquals("api.vsvs.kr.", DnsName.of("API.vsvs.kr").value());
    assertEquals("api.vsvs.kr", DnsName.of("api.vsvs.kr.").hostName());
    assertTrue(DnsName.of("api.vsvs.kr").isWithin(DnsName.of("vsvs.kr")));
    assertFalse(DnsName.of("xvsvs.kr").isWithin(DnsName.of("vsvs.kr")));
    for (String bad : List.of("a..b", "-a.kr", "a-.kr", "under_score.kr", "vsvs.kr; rm -rf /",
        "a".repeat(64) + ".kr")) {
      assertThrows(InvalidRequestException.class, () -> DnsName.of(bad), bad);
    }
  }

  @Test
  void serversNeedARoleAndNoPasswordsInEngineUris() {
    IpAddress ip = IpAddress.of("10.0.0.5");
    assertThrows(InvalidRequestException.class, () -> new Server("app1", java.util.Set.of(), ip,
        ip, Server.LOOPBACK, Optional.empty(), Map.of()));
    assertThrows(InvalidRequestException.class, () -> new Server("app1",
        java.util.Set.of(Role.APP), ip, ip, Server.LOOPBACK, Optional.empty(),
        Map.of("runtime", java.net.URI.create("docker+ssh://root:pw@10.0.0.5"))));
    Topology t = new Topology(List.of(new Server("app1", java.util.Set.of(Role.APP), ip, ip,
        Server.LOOPBACK, Optional.of("fw-app"), Map.of())));
    assertEquals("app1", t.single(Role.APP).orElseThrow().name());
    assertTrue(t.single(Role.EDGE).isEmpty());
    String msg = assertThrows(NotFoundException.class, () -> t.require("edge")).getMessage();
    assertTrue(msg.contains("app1"), msg);
  }
}
