package kr.codeb.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.deploy.DeployKey;
import kr.codeb.dns.RecordSet;
import kr.codeb.dns.RecordType;
import kr.codeb.dns.Zone;
import kr.codeb.domain.DomainChange.Action;
import kr.codeb.domain.DomainChange;
import kr.codeb.domain.DomainEntry;
import kr.codeb.domain.DomainPlan;
import kr.codeb.domain.DomainReport;
import kr.codeb.domain.DomainRequest;
import kr.codeb.domain.Domains;
import kr.codeb.fleet.Role;
import kr.codeb.fleet.Server;
import kr.codeb.fleet.Topology;
import kr.codeb.model.DnsName;
import kr.codeb.model.Environment;
import kr.codeb.model.IpAddress;
import kr.codeb.model.ProjectName;
import kr.codeb.proxy.Route;
import kr.codeb.proxy.Upstream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The domain operation over the mem: providers. */
class DomainsTest {
  static final DeployKey KEY = new DeployKey(ProjectName.of("vsvs-kr"), Environment.of("production"));
  static final IpAddress EDGE = IpAddress.of("158.247.203.55");

  MemDnsProvider dns;
  MemReverseProxy proxy;
  Domains domains;

  @BeforeEach
  void setUp() {
    dns = MemDnsProvider.create();
    proxy = MemReverseProxy.create();
    proxy.upsert(new Route("vsvs-kr-production", List.of(), new Upstream(Server.LOOPBACK, 4101)));
    Server edge = new Server("edge", EnumSet.of(Role.EDGE), EDGE, IpAddress.of("10.0.0.2"),
        Server.LOOPBACK, Optional.empty(), Map.<String, URI>of());
    domains = new Domains(dns, proxy, new Topology(List.of(edge)));
  }

  private List<String> records(String zone, String name, String type) {
    return dns.recordSets(DnsName.of(zone)).stream()
        .filter(s -> s.name().equals(DnsName.of(name)) && s.type() == RecordType.of(type))
        .flatMap(s -> s.records().stream()).toList();
  }

  @Test
  void addCreatesTheRegistrableZoneRecordsAndRouteHostsThenChangesNothing() {
    DomainReport first = domains.add(DomainRequest.of("shop.vsvs.co.kr", KEY).withWww(true));
    assertEquals(Optional.of(DnsName.of("vsvs.co.kr")), first.zone());
    assertEquals(List.of("shop.vsvs.co.kr", "www.shop.vsvs.co.kr"), first.hosts());
    assertTrue(dns.zones().stream().map(Zone::name).noneMatch(z -> z.value().equals("co.kr.")));
    assertEquals(List.of("158.247.203.55"), records("vsvs.co.kr", "shop.vsvs.co.kr", "A"));
    assertEquals(List.of("158.247.203.55"), records("vsvs.co.kr", "www.shop.vsvs.co.kr", "A"));
    assertEquals(List.of("shop.vsvs.co.kr", "www.shop.vsvs.co.kr"),
        proxy.route("vsvs-kr-production").orElseThrow().hosts());
    assertEquals(Action.CREATED, first.changes().get(0).action());
    assertTrue(first.changed());

    DomainReport second = domains.add(DomainRequest.of("shop.vsvs.co.kr", KEY).withWww(true));
    assertFalse(second.changed(), second.changes().toString());
    assertTrue(second.changes().stream().allMatch(c -> c.action() == Action.UNCHANGED));
  }

  @Test
  void aPlanWritesNothingSaysWhatAddWillDoAndApplyingItDoesThat() {
    dns.ensureZone(DnsName.of("vsvs.kr"), List.of());
    List<RecordSet> before = dns.recordSets(DnsName.of("vsvs.kr"));
    DomainPlan plan = domains.plan(DomainRequest.of("api.vsvs.kr", KEY));
    assertEquals(before, dns.recordSets(DnsName.of("vsvs.kr")), "planning writes no record");
    assertEquals(List.of(), proxy.route("vsvs-kr-production").orElseThrow().hosts());
    assertFalse(plan.createZone());
    assertEquals(List.of("api.vsvs.kr. A", "_codeb.api.vsvs.kr. TXT"),
        plan.writes().stream().map(w -> w.name() + " " + w.type()).toList());
    assertEquals(List.of(Action.UNCHANGED, Action.CREATED, Action.CREATED, Action.UPDATED),
        plan.changes().stream().map(DomainChange::action).toList());
    assertTrue(plan.changesAnything());

    DomainReport applied = domains.apply(plan);
    assertEquals(plan.changes(), applied.changes());
    assertEquals(List.of("158.247.203.55"), records("vsvs.kr", "api.vsvs.kr", "A"));
    assertEquals(List.of("api.vsvs.kr"), proxy.route("vsvs-kr-production").orElseThrow().hosts());
    DomainPlan again = domains.plan(DomainRequest.of("api.vsvs.kr", KEY));
    assertFalse(again.changesAnything(), again.changes().toString());
  }

  @Test
  void anEnclosingZoneIsUsedAndOtherRecordsStay() {
    dns.ensureZone(DnsName.of("vsvs.kr"), List.of());
    dns.upsert(DnsName.of("vsvs.kr"), new RecordSet(DnsName.of("mail.vsvs.kr"), RecordType.A, 300,
        List.of("203.0.113.5")));
    dns.upsert(DnsName.of("vsvs.kr"), new RecordSet(DnsName.of("api.vsvs.kr"), RecordType.A, 300,
        List.of("203.0.113.6")));
    DomainReport r = domains.add(DomainRequest.of("api.vsvs.kr", KEY)
        .withAddresses(List.of(IpAddress.of("203.0.113.7"), IpAddress.of("2001:db8::7"))));
    assertEquals(Optional.of(DnsName.of("vsvs.kr")), r.zone());
    assertTrue(r.changes().stream().anyMatch(c -> c.target().equals("api.vsvs.kr. A")
        && c.action() == Action.UPDATED));
    assertEquals(List.of("2001:db8::7"), records("vsvs.kr", "api.vsvs.kr", "AAAA"));

    List<DomainEntry> listed = domains.list(Optional.of(ProjectName.of("vsvs-kr")));
    assertEquals(1, listed.size());
    assertEquals("api.vsvs.kr", listed.get(0).host());
    assertTrue(listed.get(0).routed());
    assertEquals(List.of(), domains.list(Optional.of(ProjectName.of("other"))));

    DomainReport removed = domains.remove("api.vsvs.kr");
    assertTrue(removed.changed());
    assertEquals(List.of(), records("vsvs.kr", "api.vsvs.kr", "A"));
    assertEquals(List.of(), records("vsvs.kr", "api.vsvs.kr", "AAAA"));
    assertEquals(List.of("203.0.113.5"), records("vsvs.kr", "mail.vsvs.kr", "A"));
    assertEquals(List.of(), proxy.route("vsvs-kr-production").orElseThrow().hosts());
    assertFalse(domains.remove("api.vsvs.kr").changed());
    assertEquals(List.of(), domains.list(Optional.empty()));
  }

  @Test
  void removeLeavesRecordsCodeBDidNotCreate() {
    dns.ensureZone(DnsName.of("vsvs.kr"), List.of());
    dns.upsert(DnsName.of("vsvs.kr"), new RecordSet(DnsName.of("blog.vsvs.kr"), RecordType.A, 300,
        List.of("203.0.113.5")));
    DomainReport r = domains.remove("blog.vsvs.kr");
    assertFalse(r.changed());
    assertEquals(List.of("203.0.113.5"), records("vsvs.kr", "blog.vsvs.kr", "A"));
  }

  @Test
  void unicodeIsConvertedAndSaid() {
    DomainReport r = domains.add(DomainRequest.of("한국.kr", KEY));
    assertEquals("xn--3e0b707e.kr", r.domain());
    assertEquals(Optional.of("한국.kr"), r.unicode());
    assertTrue(r.notes().get(0).contains("punycode"), r.notes().toString());
  }

  @Test
  void failuresBeforeAnyWrite() {
    assertThrows(NotFoundException.class, () -> domains.add(DomainRequest.of("vsvs.kr",
        new DeployKey(ProjectName.of("nobody"), Environment.of("production")))));
    proxy.upsert(new Route("other-production", List.of("taken.kr"),
        new Upstream(Server.LOOPBACK, 4200)));
    assertThrows(ConflictException.class, () -> domains.add(DomainRequest.of("taken.kr", KEY)));
    assertThrows(InvalidRequestException.class, () -> domains.add(DomainRequest.of("co.kr", KEY)));
    assertThrows(InvalidRequestException.class,
        () -> domains.add(DomainRequest.of("api.vsvs.kr", KEY).withZone("other.kr")));
    Domains noEdge = new Domains(dns, proxy, Topology.empty());
    assertThrows(InvalidRequestException.class, () -> noEdge.add(DomainRequest.of("vsvs.kr", KEY)));
    assertEquals(List.of(), dns.zones());
    assertEquals(List.of(), proxy.route("vsvs-kr-production").orElseThrow().hosts());
  }

  @Test
  void aHostAnotherRoutesWildcardMatchesIsAConflictAndNothingIsWritten() {
    proxy.upsert(new Route("wild-production", List.of("*.wild.example.test"),
        new Upstream(Server.LOOPBACK, 4400)));
    ConflictException e = assertThrows(ConflictException.class,
        () -> domains.add(DomainRequest.of("x.wild.example.test", KEY)));
    assertTrue(e.getMessage().contains("*.wild.example.test")
        && e.getMessage().contains("wild-production"), e.getMessage());
    assertEquals(List.of(), dns.zones());
    assertEquals(List.of(), proxy.route("vsvs-kr-production").orElseThrow().hosts());
  }

  @Test
  void anotherProjectsHostIsAConflict() {
    proxy.upsert(new Route("acme-production", List.of(), new Upstream(Server.LOOPBACK, 4300)));
    domains.add(DomainRequest.of("vsvs.kr", KEY));
    proxy.upsert(proxy.route("vsvs-kr-production").orElseThrow().withHosts(List.of()));
    DeployKey acme = new DeployKey(ProjectName.of("acme"), Environment.of("production"));
    assertThrows(ConflictException.class, () -> domains.add(DomainRequest.of("vsvs.kr", acme)));
  }
}
