package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import kr.codeb.InvalidRequestException;
import kr.codeb.deploy.DeployKey;
import kr.codeb.dns.DnsProvider;
import kr.codeb.domain.DomainChange;
import kr.codeb.domain.DomainEntry;
import kr.codeb.domain.DomainReport;
import kr.codeb.domain.DomainRequest;
import kr.codeb.domain.Domains;
import kr.codeb.model.Environment;
import kr.codeb.model.IpAddress;
import kr.codeb.model.ProjectName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code we domain add|remove|list}: a project's host names in DNS (zone, A/AAAA records) and
 * on its proxy route, through {@link Domains}. The DNS provider comes from {@code --dns} /
 * {@code CODEB_DNS} / {@code providers.dns}, the proxy from {@code --proxy}.
 */
@Command(
    name = "domain", header = "Add, remove and list a project's domains (DNS and proxy).",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Add, remove and list a project's domains: DNS zone and records plus the",
        "host names on the project's route (served with automatic TLS by the proxy)."})
final class DomainCommand implements Callable<Integer> {
  private final Session session;

  DomainCommand(Session session) {
    this.session = session;
  }


  @Override
  public Integer call() {
    return session.missingSubcommand("we domain");
  }

  /** The DNS provider and the proxy, closed together. */
  static final class Providers implements AutoCloseable {
    final DnsProvider dns;
    final DeployProviders proxy;
    final Domains domains;

    Providers(Session session) {
      EngineTarget target = FleetRouting.dns(session).filter(t -> !t.uri().isBlank())
          .orElseThrow(() -> new InvalidRequestException("no DNS provider given: pass --dns URI"
              + " (e.g. --dns powerdns+http://127.0.0.1:8081?server=localhost), or set"
              + " CODEB_DNS, or engines.dns of the edge server (or providers.dns) in the config"
              + " file"));
      DeployProviders p = DeployProviders.forRoutes(session);
      try {
        this.dns = p.audit().wrap().dns(FleetLinks.registryFor(session.registry(), target)
            .dnsProvider(target.uri()));
      } catch (RuntimeException e) {
        p.close();
        throw e;
      }
      this.proxy = p;
      this.domains = new Domains(dns, p.proxy(), session.config().topology());
    }

    @Override
    public void close() {
      try {
        dns.close();
      } finally {
        proxy.close();
      }
    }
  }

  @Command(name = "add",
      header = "Point a domain at the edge and route it to a project.",
      mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = {"Point DOMAIN (and www.DOMAIN with --www) at the edge server and add it to",
          "the route of PROJECT in ENV. Idempotent: running it again changes nothing."})
  static final class Add implements Callable<Integer> {
    private final Session session;

    @Parameters(index = "0", paramLabel = "DOMAIN", description = "e.g. vsvs.kr or api.vsvs.kr;"
        + " Unicode is converted to punycode.")
    String domain;

    @Option(names = "--project", required = true, paramLabel = "PROJECT") String project;

    @Option(names = "--env", required = true, paramLabel = "ENV") String env;

    @Option(names = "--www", description = "Add www.DOMAIN too.") boolean www;

    @Option(names = "--ip", paramLabel = "ADDRESS", description = "The A (IPv4) or AAAA (IPv6)"
        + " address, repeatable; default: the public address of the config's edge server.")
    List<String> ips = new ArrayList<>();

    @Option(names = "--zone", paramLabel = "ZONE", description = "The zone to create when none"
        + " encloses DOMAIN; default: its registrable domain (public suffix list).")
    String zone;

    @Option(names = "--plan", description = "Show what would change, read from DNS and the"
        + " proxy now; write nothing.")
    boolean planOnly;

    Add(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      DeployKey key = new DeployKey(new ProjectName(project), new Environment(env));
      List<IpAddress> addresses = ips.stream().map(IpAddress::of).toList();
      DomainRequest request = new DomainRequest(domain, key, www, addresses,
          Optional.ofNullable(zone));
      DomainReport report;
      try (Providers p = new Providers(session)) {
        report = planOnly ? p.domains.plan(request).asReport() : p.domains.add(request);
      }
      return print(session, report, planOnly);
    }
  }

  @Command(name = "remove",
      header = "Remove a domain's DNS records and its place in the route.",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {"Remove what CodeB created for DOMAIN: its A/AAAA records (and www.DOMAIN's",
          "when CodeB added it) and the host names on routes. Other records and the zone stay."})
  static final class Remove implements Callable<Integer> {
    private final Session session;

    @Parameters(index = "0", paramLabel = "DOMAIN") String domain;

    Remove(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      DomainReport report;
      try (Providers p = new Providers(session)) {
        report = p.domains.remove(domain);
      }
      return print(session, report);
    }
  }

  @Command(name = "list",
      header = "List a project's domains with their DNS and route state.",
      mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "List the host names CodeB manages, of one project or of all.")
  static final class ListDomains implements Callable<Integer> {
    private final Session session;

    @Option(names = "--project", paramLabel = "PROJECT") String project;

    ListDomains(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      Optional<ProjectName> filter = Optional.ofNullable(project).map(ProjectName::new);
      List<DomainEntry> entries;
      try (Providers p = new Providers(session)) {
        entries = p.domains.list(filter);
      }
      if (session.json()) {
        session.printJson(listJson(session.jsonOutput(), entries));
        return 0;
      }
      if (entries.isEmpty()) {
        session.out().println("no domains");
        return 0;
      }
      Table t = new Table("HOST", "PROJECT", "ENV", "ZONE", "ADDRESSES", "ROUTED");
      entries.forEach(e -> t.row(e.host(), e.key().project(), e.key().environment(), e.zone(),
          String.join(",", e.addresses().stream().map(IpAddress::value).toList()),
          e.routed() ? "yes" : "NO"));
      t.print(session.out(), "");
      return 0;
    }
  }

  static int print(Session session, DomainReport r) {
    return print(session, r, false);
  }

  /** The report; for a plan ({@code planned}), what would happen, with nothing written. */
  static int print(Session session, DomainReport r, boolean planned) {
    if (session.json()) {
      session.printJson(reportJson(session.jsonOutput(), r, planned));
      return 0;
    }
    r.notes().forEach(n -> session.out().println("note: " + n));
    Table t = new Table("ACTION", "KIND", "TARGET", "DETAIL");
    r.changes().forEach(c -> t.row(c.action().id(), c.kind(), c.target(), c.detail()));
    t.print(session.out(), "");
    if (planned) {
      session.out().println(r.domain() + (r.changed() ? ": plan only, nothing written (run"
          + " without --plan to apply it)" : ": nothing to change"));
    } else {
      session.out().println(r.domain() + (r.changed() ? ": done" : ": nothing to change"));
    }
    return 0;
  }

  /** The {@code --json} document of {@code list} (and of the MCP server's {@code domain_list}). */
  static ObjectNode listJson(JsonOutput json, List<DomainEntry> entries) {
    ObjectNode root = json.object();
    ArrayNode list = root.putArray("domains");
    for (DomainEntry e : entries) {
      ObjectNode n = list.addObject();
      n.put("host", e.host());
      n.put("domain", e.domain());
      n.put("zone", e.zone().value());
      n.put("project", e.key().project().value());
      n.put("environment", e.key().environment().name());
      ArrayNode a = n.putArray("addresses");
      e.addresses().forEach(ip -> a.add(ip.value()));
      n.put("routed", e.routed());
    }
    return root;
  }

  /** The {@code --json} document of {@code add} and {@code remove} (and of the MCP tools). */
  static ObjectNode reportJson(JsonOutput json, DomainReport r, boolean planned) {
    ObjectNode root = json.object();
    root.put("domain", r.domain());
    if (r.unicode().isPresent()) {
      root.put("unicode", r.unicode().get());
    } else {
      root.putNull("unicode");
    }
    if (r.zone().isPresent()) {
      root.put("zone", r.zone().get().value());
    } else {
      root.putNull("zone");
    }
    ArrayNode hosts = root.putArray("hosts");
    r.hosts().forEach(hosts::add);
    root.put("planned", planned);
    root.put("changed", r.changed());
    ArrayNode changes = root.putArray("changes");
    for (DomainChange c : r.changes()) {
      changes.addObject().put("kind", c.kind()).put("target", c.target())
          .put("action", c.action().id()).put("detail", c.detail());
    }
    ArrayNode notes = root.putArray("notes");
    r.notes().forEach(notes::add);
    return root;
  }
}
