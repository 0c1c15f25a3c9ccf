package kr.codeb.mcp.internal;

import kr.codeb.cli.internal.DomainWork;
import kr.codeb.domain.DomainReport;

/** {@code domain_remove}: {@code we domain remove}. */
final class DomainRemoveTool extends CodeBTool {
  @Override
  String name() {
    return "domain_remove";
  }

  @Override
  String title() {
    return "Remove a domain's records and routing";
  }

  @Override
  String description() {
    return "Remove what CodeB created for a domain: its A/AAAA records (and www's when CodeB"
        + " added it) and its host names on routes; other records and the zone stay."
        + " Destructive: needs confirm: true. Needs the DNS provider and the reverse proxy.";
  }

  @Override
  Effect effect() {
    return Effect.DESTRUCTIVE;
  }

  @Override
  boolean idempotent() {
    return true;
  }

  @Override
  Schema input() {
    return Schema.input()
        .string("domain", "The domain to remove, e.g. vsvs.kr.", true)
        .confirm("remove the domain's DNS records and its host names on routes");
  }

  @Override
  Schema output() {
    return DomainOutput.report();
  }

  @Override
  Result call(Params params, ToolCall call) {
    String domain = params.string("domain", "a domain name such as vsvs.kr");
    DomainReport report;
    try (DomainWork work = call.services().openDomains()) {
      report = work.domains().remove(domain);
    }
    return DomainOutput.result(call, report, false);
  }
}
