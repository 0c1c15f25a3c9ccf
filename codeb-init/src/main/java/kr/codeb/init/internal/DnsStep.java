package kr.codeb.init.internal;

import java.util.ArrayList;
import java.util.List;
import kr.codeb.ConflictException;
import kr.codeb.dns.DnsProvider;
import kr.codeb.dns.RecordSet;
import kr.codeb.dns.RecordType;
import kr.codeb.domain.DomainChange;
import kr.codeb.domain.DomainChange.Action;
import kr.codeb.domain.DomainPlan;
import kr.codeb.domain.DomainRequest;
import kr.codeb.domain.Domains;
import kr.codeb.fleet.Topology;
import kr.codeb.init.InitRequest;
import kr.codeb.init.InitStep;
import kr.codeb.init.StepAction;
import kr.codeb.init.StepPlan;
import kr.codeb.init.StepResult;
import kr.codeb.model.DnsName;
import kr.codeb.model.IpAddress;
import kr.codeb.proxy.ReverseProxy;

/**
 * Step 5: the zone (when none encloses the domain), the A/AAAA records to the edge and the
 * ownership mark, as {@code we domain add} writes them ({@link Domains#planDns}). An address
 * record that exists without CodeB's mark and points elsewhere differs and is left alone.
 * Created items: {@code zone:<zone>} and {@code rrset:<zone>|<name>|<type>} for each record set
 * init created; destroy deletes only those (and the zone once only SOA/NS are left in it).
 */
public final class DnsStep implements InitStep {
  private final InitRequest request;
  private final DnsProvider dns;
  private final Domains domains;
  private final List<IpAddress> addresses;

  public DnsStep(InitRequest request, DnsProvider dns, ReverseProxy proxy,
      List<IpAddress> addresses) {
    this.request = request;
    this.dns = dns;
    this.domains = new Domains(dns, proxy, Topology.empty());
    this.addresses = List.copyOf(addresses);
  }

  @Override
  public String id() {
    return "dns";
  }

  @Override
  public String title() {
    return "DNS zone and records";
  }

  private DomainPlan domainPlan() {
    return domains.planDns(DomainRequest.of(request.domain(), request.key())
        .withAddresses(addresses));
  }

  @Override
  public StepPlan plan() {
    DomainPlan p;
    try {
      p = domainPlan();
    } catch (ConflictException e) {
      return StepPlan.differs(this, e.getMessage(), List.of());
    }
    List<String> details = new ArrayList<>();
    p.changes().forEach(c -> details.add(verb(c.action()) + " " + c.kind() + " " + c.target()
        + (c.detail().isEmpty() ? "" : " " + c.detail())));
    boolean markExists = p.changes().stream().anyMatch(c -> c.kind().equals("record")
        && c.target().startsWith("_codeb.") && c.action() == Action.UNCHANGED);
    for (DomainChange c : p.changes()) {
      if (c.kind().equals("record") && c.action() == Action.UPDATED && !markExists
          && !c.target().startsWith("_codeb.")) {
        return StepPlan.differs(this, "the record set " + c.target() + " exists with other"
            + " content and was not made by CodeB: left alone (it would point at "
            + c.detail() + ")", details);
      }
    }
    if (!p.changesAnything()) {
      return StepPlan.of(this, StepAction.UNCHANGED, details);
    }
    boolean any = p.changes().stream().anyMatch(c -> c.action() == Action.UNCHANGED);
    return StepPlan.of(this, any ? StepAction.UPDATE : StepAction.CREATE, details);
  }

  @Override
  public List<String> intended(StepPlan plan) {
    return items(domainPlan());
  }

  private List<String> items(DomainPlan p) {
    List<String> created = new ArrayList<>();
    if (p.createZone()) {
      created.add("zone:" + p.zone().value());
    }
    List<RecordSet> existing = p.createZone() ? List.of() : dns.recordSets(p.zone());
    for (RecordSet set : p.writes()) {
      if (existing.stream().noneMatch(s -> s.name().equals(set.name())
          && s.type() == set.type())) {
        created.add("rrset:" + p.zone().value() + "|" + set.name().value() + "|" + set.type());
      }
    }
    return created;
  }

  @Override
  public StepResult apply(StepPlan plan) {
    DomainPlan p = domainPlan();
    List<String> created = items(p);
    domains.apply(p);
    List<String> details = new ArrayList<>();
    p.changes().stream().filter(c -> c.action() != Action.UNCHANGED).forEach(c ->
        details.add(c.action() + " " + c.kind() + " " + c.target()));
    return StepResult.done(plan, details, created);
  }

  @Override
  public List<String> undoPlan(List<String> created, boolean deleteData) {
    List<String> out = new ArrayList<>();
    for (String item : created) {
      if (item.startsWith("rrset:")) {
        String[] p = item.substring(6).split("\\|");
        if (exists(p[0], p[1], p[2])) {
          out.add("delete record set " + p[1] + " " + p[2]);
        }
      }
    }
    for (String item : created) {
      if (item.startsWith("zone:")) {
        DnsName zone = DnsName.of(item.substring(5));
        if (dns.zones().stream().anyMatch(z -> z.name().equals(zone))) {
          out.add("delete zone " + zone + " if nothing but SOA/NS is left in it");
        }
      }
    }
    return out;
  }

  @Override
  public List<String> undo(List<String> created, boolean deleteData) {
    List<String> out = new ArrayList<>();
    for (String item : created) {
      if (item.startsWith("rrset:")) {
        String[] p = item.substring(6).split("\\|");
        DnsName zone = DnsName.of(p[0]);
        if (zoneExists(zone) && dns.delete(zone, DnsName.of(p[1]), RecordType.valueOf(p[2]))) {
          out.add("deleted record set " + p[1] + " " + p[2]);
        }
      }
    }
    for (String item : created) {
      if (item.startsWith("zone:")) {
        DnsName zone = DnsName.of(item.substring(5));
        if (!zoneExists(zone)) {
          continue;
        }
        List<RecordSet> left = dns.recordSets(zone).stream()
            .filter(s -> s.type() != RecordType.SOA && s.type() != RecordType.NS).toList();
        if (left.isEmpty()) {
          if (dns.deleteZone(zone)) {
            out.add("deleted zone " + zone);
          }
        } else {
          out.add("kept zone " + zone + ": it holds " + left.size() + " record set(s) init did"
              + " not create");
        }
      }
    }
    return out;
  }

  /** The plan's word for what will happen: create, update, unchanged. */
  private static String verb(Action action) {
    return switch (action) {
      case CREATED -> "create";
      case UPDATED -> "update";
      default -> action.id();
    };
  }

  private boolean zoneExists(DnsName zone) {
    return dns.zones().stream().anyMatch(z -> z.name().equals(zone));
  }

  private boolean exists(String zone, String name, String type) {
    DnsName z = DnsName.of(zone);
    return zoneExists(z) && dns.recordSets(z).stream().anyMatch(s -> s.name().value()
        .equals(name) && s.type().name().equals(type));
  }
}
