package kr.codeb.mcp.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import kr.codeb.db.DbKind;
import kr.codeb.deploy.DeployKey;
import kr.codeb.init.InitRequest;
import kr.codeb.init.TlsEndpoint;
import kr.codeb.model.IpAddress;
import kr.codeb.cli.internal.CliServices;

/** The input of {@code init_plan} and {@code init_apply}: {@code we init}'s options. */
final class InitFields {
  private InitFields() {}

  static Schema input(Schema s) {
    return Fields.projectEnvironment(s)
        .string("domain", "The host name the site serves, e.g. vsvs.kr.", true)
        .strings("with", "Databases on the storage server: postgres, redis.", false)
        .string("image", "Also deploy this image once everything else is in place.", false)
        .string("repo", "The absolute path of the repository checkout the workflow file is"
            + " written into (no workflow without it).", false)
        .strings("ips", "What the domain's records point at (default: the edge server's public"
            + " address).", false)
        .string("tlsCheck", "HOST:PORT of the HTTPS listener asked for the certificate (default:"
            + " the edge's public address, port 443).", false)
        .integer("tlsTimeoutSeconds", "How long to wait for the certificate (default 60).",
            false, 0, 3600)
        .string("dbVersion", "The databases' image tag (default: 16 for postgres, 7 for"
            + " redis).", false)
        .string("dbImage", "Run this image for the databases instead of the official ones.",
            false);
  }

  static InitRequest request(Params p) {
    DeployKey key = Fields.key(p);
    String domain = p.string("domain", "a domain such as vsvs.kr");
    Set<DbKind> kinds = EnumSet.noneOf(DbKind.class);
    for (String w : p.strings("with", "postgres or redis")) {
      kinds.add(Params.checked("with", w, DbKind::parse));
    }
    Optional<Path> repo = p.optionalString("repo", "an absolute path").map(r ->
        Params.checked("repo", r, Path::of));
    repo.filter(r -> !r.isAbsolute()).ifPresent(r -> {
      throw new ToolInputException("repo", "must be an absolute path");
    });
    long timeout = p.integer("tlsTimeoutSeconds", InitRequest.DEFAULT_TLS_DEADLINE.toSeconds(),
        0, 3600);
    return Params.checked("domain", domain, d -> InitRequest.builder(key.project(),
        key.environment(), d).with(kinds)
        .image(p.optionalString("image", "an image reference").orElse(null))
        .repo(repo.orElse(null)).tlsDeadline(Duration.ofSeconds(timeout)).build());
  }

  static CliServices.InitWork open(Params p, ToolCall call, InitRequest request) {
    List<IpAddress> ips = p.strings("ips", "IP addresses such as 203.0.113.10").stream()
        .map(ip -> Params.checked("ips", ip, IpAddress::of)).toList();
    Optional<TlsEndpoint> tls = p.optionalString("tlsCheck", "HOST:PORT")
        .map(t -> Params.checked("tlsCheck", t, TlsEndpoint::parse));
    return call.services().openInit(request, ips, tls,
        p.optionalString("dbVersion", "an image tag such as 16"),
        p.optionalString("dbImage", "an image reference"));
  }

  static Schema output(boolean planned) {
    Schema s = Schema.output()
        .out("project", "The project.", "string")
        .out("environment", "The environment.", "string")
        .out("domain", "The domain.", "string")
        .out("planned", "True for a plan (nothing written).", "boolean")
        .out("steps", "Each step: {step, title, action (create, update, unchanged, differs),"
            + " details, reason when it differs}.", "array");
    return planned ? s.out("changes", "How many steps would write something.", "integer")
        : s.out("changed", "Whether any step wrote something.", "boolean")
            .out("differs", "How many steps found something different and left it alone.",
                "integer")
            .out("notes", "Notes for people (a resume, a journal corrected from the systems).",
                "array")
            .out("millis", "The run's wall time in milliseconds.", "integer");
  }
}
