package kr.codeb.mcp.internal;

import java.util.List;
import java.util.Optional;
import kr.codeb.cli.internal.DomainWork;
import kr.codeb.deploy.DeployKey;
import kr.codeb.domain.DomainReport;
import kr.codeb.domain.DomainRequest;
import kr.codeb.model.IpAddress;

/** {@code domain_add}: {@code we domain add}. */
final class DomainAddTool extends CodeBTool {
  @Override
  String name() {
    return "domain_add";
  }

  @Override
  String title() {
    return "Point a domain at the edge and route it";
  }

  @Override
  String description() {
    return "Point a domain (and www.domain with www=true) at the edge server in DNS (zone"
        + " created if none encloses it, A/AAAA records) and add it to the project's route on"
        + " the reverse proxy (automatic TLS). Idempotent; plan=true only shows what would"
        + " change. Needs the DNS provider (powerdns+http://...) and the reverse proxy; the"
        + " edge address comes from the config's edge server unless ips are given.";
  }

  @Override
  Effect effect() {
    return Effect.CHANGES;
  }

  @Override
  boolean idempotent() {
    return true;
  }

  @Override
  Schema input() {
    return Fields.projectEnvironment(Schema.input()
        .string("domain", "The domain, e.g. vsvs.kr or api.vsvs.kr; Unicode is converted to"
            + " punycode.", true))
        .bool("www", "Add www.<domain> too (default false).", false)
        .strings("ips", "The A (IPv4) or AAAA (IPv6) addresses (default: the public address of"
            + " the config's edge server).", false)
        .string("zone", "The zone to create when none encloses the domain (default: its"
            + " registrable domain).", false)
        .bool("plan", "Only show what would change, writing nothing (default false).", false);
  }

  @Override
  Schema output() {
    return DomainOutput.report();
  }

  @Override
  Result call(Params params, ToolCall call) {
    String domain = params.string("domain", "a domain name such as vsvs.kr");
    DeployKey key = Fields.key(params);
    List<IpAddress> ips = params.strings("ips", "IP addresses such as 203.0.113.10").stream()
        .map(ip -> Params.checked("ips", ip, IpAddress::of)).toList();
    Optional<String> zone = params.optionalString("zone", "a zone name such as vsvs.kr");
    boolean plan = params.bool("plan", false);
    DomainRequest request = Params.checked("domain", domain, d -> new DomainRequest(d, key,
        params.bool("www", false), ips, zone));
    DomainReport report;
    try (DomainWork work = call.services().openDomains()) {
      report = plan ? work.domains().plan(request).asReport() : work.domains().add(request);
    }
    return DomainOutput.result(call, report, plan);
  }
}
