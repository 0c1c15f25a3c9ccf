package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.db.DbKind;
import kr.codeb.init.InitPlan;
import kr.codeb.init.InitProgress;
import kr.codeb.init.InitRequest;
import kr.codeb.init.InitResult;
import kr.codeb.init.StepAction;
import kr.codeb.init.StepPlan;
import kr.codeb.init.StepResult;
import kr.codeb.init.TlsEndpoint;
import kr.codeb.model.Environment;
import kr.codeb.model.IpAddress;
import kr.codeb.model.ProjectName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code we init}: a new project's eight setup steps as one idempotent, resumable plan (see
 * docs/init.md). {@code --plan} shows what each step would do, read from the systems now.
 */
@Command(
    name = "init", header = "Set up a new project: the eight steps, resumable, plan first.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Plans every step from the real systems and applies what is missing, in",
        "order. A step that fails stops the run; the same command resumes at it. A run after a",
        "complete one changes nothing. What exists and matches is adopted; what differs is",
        "reported and left alone (exit 1)."})
final class InitCommand implements Callable<Integer> {
  private final Session session;

  @Parameters(index = "0", paramLabel = "PROJECT", description = "Project name, e.g. vsvs-kr.")
  String project;

  @Option(names = "--domain", required = true, paramLabel = "DOMAIN",
      description = "The host name the site serves, e.g. vsvs.kr.")
  String domain;

  @Option(names = "--env", paramLabel = "ENV", defaultValue = "production",
      description = "Environment as the SSOT's portRanges define it (default ${DEFAULT-VALUE}).")
  String environment;

  @Option(names = "--with", paramLabel = "KIND", split = ",",
      description = "Databases on the storage server: postgres, redis (comma-separated).")
  List<String> with = new ArrayList<>();

  @Option(names = "--image", paramLabel = "IMAGE", description = "Also deploy this image.")
  String image;

  @Option(names = "--repo", paramLabel = "DIR",
      description = "The repository checkout the workflow file is written into.")
  String repo;

  @Option(names = "--ip", paramLabel = "ADDRESS", description = "What the domain's records"
      + " point at (repeatable); default: the edge server's public address.")
  List<String> ips = new ArrayList<>();

  @Option(names = "--tls-check", paramLabel = "HOST:PORT", description = "The HTTPS listener"
      + " asked for the certificate; default: the edge's public address, port 443.")
  String tlsCheck;

  @Option(names = "--tls-timeout", paramLabel = "DURATION", defaultValue = "60s",
      converter = DurationConverter.class,
      description = "How long to wait for the certificate (default ${DEFAULT-VALUE}).")
  Duration tlsTimeout;

  @Option(names = "--db-version", paramLabel = "V",
      description = "The databases' image tag (default: 16 for postgres, 7 for redis).")
  String dbVersion;

  @Option(names = "--db-image", paramLabel = "IMAGE",
      description = "Run this image for the databases instead of the official ones.")
  String dbImage;

  @Option(names = "--plan", description = "Show each step's plan; write nothing.")
  boolean planOnly;

  InitCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    InitRequest request = request();
    InitSetup.Options options = new InitSetup.Options(Optional.ofNullable(dbVersion),
        Optional.ofNullable(dbImage), ips.stream().map(IpAddress::of).toList(),
        Optional.ofNullable(tlsCheck).map(TlsEndpoint::parse));
    try (InitSetup setup = InitSetup.open(session, request, options)) {
      InitPlan plan = setup.plan();
      if (planOnly) {
        return printPlan(plan.plan(), request);
      }
      long start = System.nanoTime();
      setup.warmAhead();
      InitResult result = plan.apply(session.json() ? InitProgress.SILENT : progress());
      return printResult(result, request, (System.nanoTime() - start) / 1_000_000);
    }
  }

  private InitRequest request() {
    Set<DbKind> kinds = EnumSet.noneOf(DbKind.class);
    with.stream().map(String::strip).filter(w -> !w.isEmpty()).forEach(w -> kinds.add(
        DbKind.parse(w)));
    Path repoPath = null;
    if (repo != null) {
      try {
        repoPath = session.path(Path.of(repo));
      } catch (InvalidPathException e) {
        throw new InvalidRequestException("--repo " + Checks.quote(repo) + " is not a usable"
            + " path");
      }
    }
    return InitRequest.builder(new ProjectName(project), new Environment(environment), domain)
        .with(kinds).image(image).repo(repoPath).tlsDeadline(tlsTimeout).build();
  }

  private InitProgress progress() {
    return new InitProgress() {
      @Override
      public void started(int index, int total, StepPlan plan) {
        session.out().println("[" + index + "/" + total + "] " + plan.step() + " ("
            + plan.title() + "): " + plan.action());
      }

      @Override
      public void finished(int index, int total, StepResult result) {
        result.details().forEach(d -> session.out().println("      " + d));
        result.reason().ifPresent(r -> session.out().println("      differs: " + r));
      }
    };
  }

  private int printPlan(List<StepPlan> plans, InitRequest request) {
    long changes = plans.stream().filter(StepPlan::changes).count();
    boolean differs = plans.stream().anyMatch(p -> p.action() == StepAction.DIFFERS);
    if (session.json()) {
      session.printJson(planJson(session.jsonOutput(), request, plans));
    } else {
      Table t = new Table("#", "STEP", "ACTION", "DETAIL");
      for (int i = 0; i < plans.size(); i++) {
        StepPlan p = plans.get(i);
        t.row(i + 1, p.step(), p.action(), String.join("; ", p.details())
            + p.reason().map(r -> " (" + r + ")").orElse(""));
      }
      t.print(session.out(), "");
      session.out().println(request.key() + ": " + (changes == 0 ? "nothing to do"
          : changes + " step(s) to apply; plan only, nothing written (run without --plan)"));
    }
    return differs ? 1 : 0;
  }

  private int printResult(InitResult result, InitRequest request, long millis) {
    if (session.json()) {
      session.printJson(resultJson(session.jsonOutput(), request, result, millis));
    } else {
      result.notes().forEach(n -> session.out().println("note: " + n));
      session.out().println(request.key() + ": " + (!result.differs().isEmpty()
          ? "done, but " + result.differs().size() + " step(s) differ and were left alone"
          : result.changed() ? "done" : "nothing to do") + " (" + millis + " ms)");
    }
    return result.differs().isEmpty() ? 0 : 1;
  }

  /** The {@code --plan --json} document (and the MCP server's {@code init_plan}). */
  static ObjectNode planJson(JsonOutput json, InitRequest request, List<StepPlan> plans) {
    ObjectNode root = header(json, request, true);
    ArrayNode steps = root.putArray("steps");
    for (StepPlan p : plans) {
      step(steps.addObject(), p.step(), p.title(), p.action(), p.details(), p.reason());
    }
    root.put("changes", plans.stream().filter(StepPlan::changes).count());
    return root;
  }

  /** The {@code --json} document of a run (and of the MCP server's {@code init_apply}). */
  static ObjectNode resultJson(JsonOutput json, InitRequest request, InitResult result,
      long millis) {
    ObjectNode root = header(json, request, false);
    ArrayNode steps = root.putArray("steps");
    for (StepResult r : result.steps()) {
      step(steps.addObject(), r.step(), r.title(), r.action(), r.details(), r.reason());
    }
    root.put("changed", result.changed());
    root.put("differs", result.differs().size());
    ArrayNode notes = root.putArray("notes");
    result.notes().forEach(notes::add);
    root.put("millis", millis);
    return root;
  }

  private static ObjectNode header(JsonOutput json, InitRequest request, boolean planned) {
    ObjectNode root = json.object();
    root.put("project", request.project().value())
        .put("environment", request.environment().name()).put("domain", request.domain())
        .put("planned", planned);
    return root;
  }

  static void step(ObjectNode n, String id, String title, StepAction action,
      List<String> details, Optional<String> reason) {
    n.put("step", id).put("title", title).put("action", action.id());
    ArrayNode d = n.putArray("details");
    details.forEach(d::add);
    reason.ifPresent(r -> n.put("reason", r));
  }
}
