package kr.codeb.mcp.internal;

import java.util.List;
import java.util.Optional;
import kr.codeb.cli.internal.DomainWork;
import kr.codeb.domain.DomainEntry;
import kr.codeb.model.ProjectName;

/** {@code domain_list}: {@code we domain list}. */
final class DomainListTool extends CodeBTool {
  @Override
  String name() {
    return "domain_list";
  }

  @Override
  String title() {
    return "List the domains CodeB manages";
  }

  @Override
  String description() {
    return "List the host names CodeB manages, of one project or of all, with their zone, DNS"
        + " addresses and whether the proxy routes them. Needs the DNS provider and the"
        + " reverse proxy.";
  }

  @Override
  Effect effect() {
    return Effect.READ_ONLY;
  }

  @Override
  Schema input() {
    return Schema.input().string("project", "Only this project's domains: "
        + Fields.PROJECT_ALLOWED + " (default: all projects).", false);
  }

  @Override
  Schema output() {
    return Schema.output().out("domains", "Each host: {host, domain, zone, project,"
        + " environment, addresses, routed}.", "array");
  }

  @Override
  Result call(Params params, ToolCall call) {
    Optional<ProjectName> project = params.optionalString("project", Fields.PROJECT_ALLOWED)
        .map(p -> Params.checked("project", p, ProjectName::new));
    List<DomainEntry> entries;
    try (DomainWork work = call.services().openDomains()) {
      entries = work.domains().list(project);
    }
    return new Result(call.json().domains(entries), entries.size() + " host(s)");
  }
}
