package kr.codeb.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import kr.codeb.Checks;
import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.deploy.DeployKey;
import kr.codeb.dns.DnsProvider;
import kr.codeb.dns.RecordContent;
import kr.codeb.dns.RecordSet;
import kr.codeb.dns.RecordType;
import kr.codeb.dns.Zone;
import kr.codeb.domain.DomainChange.Action;
import kr.codeb.domain.internal.DomainHosts;
import kr.codeb.domain.internal.DomainMarks.Mark;
import kr.codeb.domain.internal.DomainMarks;
import kr.codeb.fleet.Role;
import kr.codeb.fleet.Server;
import kr.codeb.fleet.Topology;
import kr.codeb.internal.HostNames;
import kr.codeb.internal.PublicSuffixes;
import kr.codeb.internal.SlotNames;
import kr.codeb.model.DnsName;
import kr.codeb.model.Environment;
import kr.codeb.model.IpAddress;
import kr.codeb.model.ProjectName;
import kr.codeb.proxy.HostConflict;
import kr.codeb.proxy.ReverseProxy;
import kr.codeb.proxy.Route;

/**
 * Domains: a project's host names in DNS and on the proxy, in one idempotent call.
 *
 * <p>{@link #add} puts the A (and AAAA) records of a domain into the zone that encloses it
 * (creating the zone of the registrable domain when there is none), and adds the host names to
 * the project's route {@code <project>-<env>}; the proxy then serves them, with automatic TLS
 * where the proxy does TLS. Running it again changes nothing.
 *
 * <p>What CodeB created is marked in DNS by an ownership record next to each host, like
 * external-dns does: {@code _codeb.<host>} TXT
 * {@code "codeb-domain project=<p> env=<e> domain=<d>"}. {@link #remove} deletes only records
 * of hosts carrying that mark (their A, AAAA and the mark), never other records of the zone,
 * and never the zone itself; {@link #list} reads the marks.
 *
 * <p>The project's route must exist (deploy first): {@link #add} does not invent an upstream,
 * it fails with {@link NotFoundException} before writing anything. Bad input
 * ({@link InvalidRequestException}) and a host another route serves or another project owns
 * ({@link ConflictException}) are found before anything is written too.
 */
public final class Domains {
  /** The TTL of the records CodeB writes. */
  public static final int DEFAULT_TTL = 300;

  private final DnsProvider dns;
  private final ReverseProxy proxy;
  private final Topology topology;
  private final List<DnsName> nameservers;
  private final int ttl;
  private final PublicSuffixes suffixes;

  public Domains(DnsProvider dns, ReverseProxy proxy, Topology topology) {
    this(dns, proxy, topology, List.of(), DEFAULT_TTL, PublicSuffixes.defaults());
  }

  private Domains(DnsProvider dns, ReverseProxy proxy, Topology topology,
      List<DnsName> nameservers, int ttl, PublicSuffixes suffixes) {
    this.dns = Objects.requireNonNull(dns, "dns");
    this.proxy = Objects.requireNonNull(proxy, "proxy");
    this.topology = Objects.requireNonNull(topology, "topology");
    this.nameservers = List.copyOf(nameservers);
    this.ttl = ttl;
    this.suffixes = suffixes;
  }

  /** The nameservers a zone CodeB creates gets (its NS records); none by default. */
  public Domains withNameservers(List<DnsName> names) {
    return new Domains(dns, proxy, topology, names, ttl, suffixes);
  }

  /** The TTL of the A/AAAA records and marks CodeB writes. */
  public Domains withTtl(int seconds) {
    RecordSet.requireTtl(seconds);
    return new Domains(dns, proxy, topology, nameservers, seconds, suffixes);
  }

  /**
   * Adds the domain (and {@code www.} when asked) to the project: zone, A/AAAA records pointing
   * at the edge server's public address (or the request's addresses), the ownership marks, and
   * the hosts on the project's route. The same as {@code apply(plan(request))}.
   *
   * @throws InvalidRequestException bad domain, zone or address; no address to point at
   * @throws NotFoundException the project's route does not exist (deploy first)
   * @throws ConflictException a host is served by another route or owned by another project
   */
  public DomainReport add(DomainRequest request) {
    return apply(plan(request));
  }

  /**
   * What {@link #add} would change, read from the DNS provider and the proxy now; writes
   * nothing. Every check of {@link #add} happens here, so a plan that is returned can be applied.
   *
   * @throws InvalidRequestException bad domain, zone or address; no address to point at
   * @throws NotFoundException the project's route does not exist (deploy first)
   * @throws ConflictException a host is served by another route or owned by another project
   */
  public DomainPlan plan(DomainRequest request) {
    return plan(request, true);
  }

  /**
   * The DNS half of {@link #plan}: the zone and records (with their ownership marks) only, for a
   * project whose route does not exist yet (a new project's setup). The plan's route is empty,
   * so {@link #apply} writes DNS only.
   *
   * @throws InvalidRequestException bad domain, zone or address; no address to point at
   * @throws ConflictException a host is owned by another project
   */
  public DomainPlan planDns(DomainRequest request) {
    return plan(request, false);
  }

  private DomainPlan plan(DomainRequest request, boolean withRoute) {
    Objects.requireNonNull(request, "request");
    List<String> notes = new ArrayList<>();
    HostNames.Parsed parsed = HostNames.parse("domain", request.domain());
    String domain = parsed.ascii();
    parsed.unicode().ifPresent(u -> notes.add("converted the Unicode domain " + Checks.quote(u)
        + " to punycode " + Checks.quote(domain)));
    if (suffixes.registrable(domain).isEmpty()) {
      // Bad input, known without asking a provider: refused before the route is looked up.
      throw publicSuffix(domain);
    }
    List<String> hosts = DomainHosts.hostsOf(domain, request.www());
    Optional<DnsName> wantedZone =
        request.zone().map(z -> DomainHosts.wantedZone(z, domain, notes));
    List<IpAddress> addresses = addresses(request.addresses(), notes);

    Route route = null;
    if (withRoute) {
      route = requireRoute(request.key());
      requireNotServedElsewhere(route.id(), hosts);
    }
    List<Zone> zones = dns.zones();
    DnsName zone = zoneFor(domain, wantedZone, zones, notes);
    boolean zoneExists = zones.stream().anyMatch(z -> z.name().equals(zone));
    List<RecordSet> existing = zoneExists ? dns.recordSets(zone) : List.of();
    DomainHosts.requireNotOwnedByOthers(request.key(), hosts, existing);

    List<DomainChange> changes = new ArrayList<>();
    changes.add(zoneExists
        ? new DomainChange("zone", zone.value(), Action.UNCHANGED, "exists")
        : new DomainChange("zone", zone.value(), Action.CREATED,
            nameservers.isEmpty() ? "" : "nameservers " + nameservers));
    List<RecordSet> writes = new ArrayList<>();
    Mark mark = new Mark(request.key(), domain);
    for (RecordSet wanted : wantedRecords(hosts, addresses, mark)) {
      Optional<RecordSet> now = existing.stream()
          .filter(s -> s.name().equals(wanted.name()) && s.type() == wanted.type()).findFirst();
      Action action = now.isEmpty() ? Action.CREATED : sameRecords(now.get(), wanted)
          ? Action.UNCHANGED : Action.UPDATED;
      if (action != Action.UNCHANGED) {
        writes.add(wanted);
      }
      changes.add(new DomainChange("record", wanted.name() + " " + wanted.type(), action,
          String.join(",", wanted.records())));
    }
    if (route == null) {
      return new DomainPlan(domain, parsed.unicode(), zone, !zoneExists, nameservers, hosts,
          writes, Optional.empty(), changes, notes);
    }
    List<String> routeHosts = new ArrayList<>(route.hosts());
    hosts.stream().filter(h -> !routeHosts.contains(h)).forEach(routeHosts::add);
    boolean routeChanges = !routeHosts.equals(route.hosts());
    changes.add(new DomainChange("route", route.id(),
        routeChanges ? Action.UPDATED : Action.UNCHANGED, String.join(",", routeHosts)));
    return new DomainPlan(domain, parsed.unicode(), zone, !zoneExists, nameservers, hosts, writes,
        routeChanges ? Optional.of(route.withHosts(routeHosts)) : Optional.empty(), changes,
        notes);
  }

  /**
   * Carries out a plan: creates the zone if the plan says so, writes its record sets, then
   * updates the route. Each write is idempotent, so applying a plan twice, or after a failure
   * half-way, ends in the same state; the route is written last, so the proxy never serves a
   * host whose records are missing because of this call.
   */
  public DomainReport apply(DomainPlan plan) {
    Objects.requireNonNull(plan, "plan");
    List<DomainChange> changes = new ArrayList<>(plan.changes());
    if (plan.createZone()) {
      Zone made = dns.ensureZone(plan.zone(), plan.nameservers());
      changes.set(0, new DomainChange("zone", plan.zone().value(), Action.CREATED, made.kind()
          + (made.nameservers().isEmpty() ? "" : " nameservers " + made.nameservers())));
    }
    plan.writes().forEach(set -> dns.upsert(plan.zone(), set));
    plan.route().ifPresent(proxy::upsert);
    return new DomainReport(plan.domain(), plan.unicode(), Optional.of(plan.zone()), plan.hosts(),
        changes, plan.notes());
  }

  private InvalidRequestException publicSuffix(String domain) {
    return new InvalidRequestException(domain + " is a public suffix (" + suffixes.source()
        + "): nobody can own it; give a domain registered under it (e.g. vsvs." + domain + ")");
  }

  private Route requireRoute(DeployKey key) {
    String routeId = SlotNames.route(key);
    return proxy.route(routeId).orElseThrow(() -> new NotFoundException("no route "
        + routeId + " on the proxy (" + proxy.info().location() + "): deploy "
        + key.project() + " to " + key.environment()
        + " first; a domain is added to the route of a deployed project"));
  }

  /** No other route, CodeB's or anyone's in the proxy, matches a host (wildcards included). */
  private void requireNotServedElsewhere(String routeId, List<String> hosts) {
    List<HostConflict> conflicts = proxy.hostConflicts(routeId, hosts);
    if (!conflicts.isEmpty()) {
      HostConflict first = conflicts.get(0);
      throw new ConflictException(first.describe() + "; remove it there first (we domain remove "
          + first.host() + ")");
    }
  }

  /** The zone given, else the deepest existing one, else the registrable domain's (new). */
  private DnsName zoneFor(String domain, Optional<DnsName> wanted, List<Zone> zones,
      List<String> notes) {
    Optional<DnsName> enclosing = DomainMarks.enclosingZone(zones, DnsName.of(domain));
    if (wanted.isPresent()) {
      DnsName zone = wanted.get();
      if (enclosing.isPresent() && !enclosing.get().equals(zone)
          && enclosing.get().isWithin(zone)) {
        throw new InvalidRequestException("the zone " + enclosing.get() + " already holds "
            + domain + ", not " + zone + ": leave out the zone, or give " + enclosing.get());
      }
      return zone;
    }
    if (enclosing.isPresent()) {
      return enclosing.get();
    }
    String registrable = suffixes.registrable(domain).orElseThrow(() -> publicSuffix(domain));
    notes.add("no zone enclosed " + domain + "; its registrable domain is " + registrable
        + " (public suffix list: " + suffixes.source() + ")");
    return DnsName.of(registrable);
  }

  /** Per host: its A and AAAA sets (for the addresses of each family) and its mark. */
  private List<RecordSet> wantedRecords(List<String> hosts, List<IpAddress> addresses,
      Mark mark) {
    List<String> v4 = addresses.stream().filter(IpAddress::isV4).map(IpAddress::value).toList();
    List<String> v6 = addresses.stream().filter(a -> !a.isV4()).map(IpAddress::value).toList();
    List<RecordSet> wanted = new ArrayList<>();
    for (String host : hosts) {
      DnsName name = DnsName.of(host);
      if (!v4.isEmpty()) {
        wanted.add(new RecordSet(name, RecordType.A, ttl, v4));
      }
      if (!v6.isEmpty()) {
        wanted.add(new RecordSet(name, RecordType.AAAA, ttl, v6));
      }
      wanted.add(new RecordSet(DomainMarks.markName(host), RecordType.TXT, ttl,
          List.of(mark.content())));
    }
    return wanted;
  }

  private static boolean sameRecords(RecordSet now, RecordSet wanted) {
    return now.ttl() == wanted.ttl()
        && RecordContent.sorted(now.records()).equals(RecordContent.sorted(wanted.records()));
  }

  /**
   * Removes what CodeB created for the domain: the A/AAAA records and marks of the domain and
   * of its {@code www.} host (when CodeB added that for the domain), and those hosts from every
   * route. Other records and the zone stay. Idempotent: removing it again changes nothing.
   */
  public DomainReport remove(String domainInput) {
    HostNames.Parsed parsed = HostNames.parse("domain", domainInput);
    String domain = parsed.ascii();
    List<String> notes = new ArrayList<>();
    parsed.unicode().ifPresent(u -> notes.add("converted the Unicode domain " + Checks.quote(u)
        + " to punycode " + Checks.quote(domain)));
    Optional<DnsName> zone = DomainMarks.enclosingZone(dns.zones(), DnsName.of(domain));
    List<DomainChange> changes = new ArrayList<>();
    Set<String> hosts = new LinkedHashSet<>(List.of(domain));
    if (zone.isPresent()) {
      List<RecordSet> existing = dns.recordSets(zone.get());
      String www = "www." + domain;
      if (www.length() <= 253 && DomainMarks.markOf(existing, www).filter(m -> m.domain().equals(domain))
          .isPresent()) {
        hosts.add(www);
      }
      for (String host : hosts) {
        Optional<Mark> mark = DomainMarks.markOf(existing, host);
        if (mark.isEmpty()) {
          if (existing.stream().anyMatch(s -> s.name().equals(DnsName.of(host)))) {
            notes.add("records of " + host + " were not created by CodeB (no "
                + DomainMarks.markName(host) + " mark): left alone");
          }
          continue;
        }
        for (RecordType type : List.of(RecordType.A, RecordType.AAAA)) {
          DnsName name = DnsName.of(host);
          if (dns.delete(zone.get(), name, type)) {
            changes.add(new DomainChange("record", name + " " + type, Action.DELETED, ""));
          }
        }
        if (dns.delete(zone.get(), DomainMarks.markName(host), RecordType.TXT)) {
          changes.add(new DomainChange("record", DomainMarks.markName(host) + " TXT", Action.DELETED, ""));
        }
      }
    } else {
      notes.add("no zone encloses " + domain + ": nothing in DNS");
    }
    for (Route route : proxy.routes()) {
      List<String> kept = route.hosts().stream().filter(h -> !hosts.contains(h)).toList();
      if (kept.size() != route.hosts().size()) {
        proxy.upsert(route.withHosts(kept));
        changes.add(new DomainChange("route", route.id(), Action.UPDATED, String.join(",", kept)));
      }
    }
    return new DomainReport(domain, parsed.unicode(), zone, List.copyOf(hosts), changes, notes);
  }

  /** The hosts CodeB manages (those with a mark), of one project or of all, sorted by host. */
  public List<DomainEntry> list(Optional<ProjectName> project) {
    Map<String, Route> routes = new LinkedHashMap<>();
    proxy.routes().forEach(r -> routes.put(r.id(), r));
    List<DomainEntry> entries = new ArrayList<>();
    for (Zone zone : dns.zones()) {
      List<RecordSet> sets = dns.recordSets(zone.name());
      for (RecordSet set : sets) {
        Optional<String> marked = DomainMarks.markedHost(set);
        if (marked.isEmpty()) {
          continue;
        }
        String host = marked.get();
        Optional<Mark> mark = DomainMarks.markOf(sets, host);
        if (mark.isEmpty() || project.filter(p -> !p.equals(mark.get().key().project()))
            .isPresent()) {
          continue;
        }
        List<IpAddress> addresses = new ArrayList<>();
        for (RecordSet s : sets) {
          if (s.name().hostName().equals(host) && (s.type() == RecordType.A || s.type() == RecordType.AAAA)) {
            s.records().forEach(r -> addresses.add(IpAddress.of(r)));
          }
        }
        Route route = routes.get(SlotNames.route(mark.get().key()));
        entries.add(new DomainEntry(host, mark.get().domain(), zone.name(), mark.get().key(),
            addresses, route != null && route.hosts().contains(host)));
      }
    }
    entries.sort(Comparator.comparing(DomainEntry::host));
    return entries;
  }

  private List<IpAddress> addresses(List<IpAddress> given, List<String> notes) {
    if (!given.isEmpty()) {
      return given;
    }
    List<Server> edges = topology.withRole(Role.EDGE);
    if (edges.size() != 1) {
      throw new InvalidRequestException(edges.isEmpty()
          ? "no address to point the domain at: the topology has no edge server; give the"
              + " address (--ip 203.0.113.10) or add a server with the edge role"
          : "the topology has " + edges.size() + " edge servers: give the address (--ip ...)");
    }
    Server edge = edges.get(0);
    notes.add("pointing at the public address of edge server " + edge.name() + ": "
        + edge.publicAddress());
    return List.of(edge.publicAddress());
  }
}
