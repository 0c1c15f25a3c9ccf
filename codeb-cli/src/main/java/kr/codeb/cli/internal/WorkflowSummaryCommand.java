package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import kr.codeb.CodeBException;
import kr.codeb.InputFiles;
import kr.codeb.deploy.DeployKey;
import kr.codeb.proxy.Route;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code we workflow summary PROJECT --env ENV --result FILE}: the Markdown job summary of a
 * deploy the workflow ran (outcome, release, slot, URL), from {@code we deploy --json}'s output
 * and the route's host names. It never fails the job: what it cannot find it says it could not.
 */
@Command(
    name = "summary", header = "Print the Markdown job summary of a workflow's deploy.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Reads the JSON `we deploy --json` wrote (--result) and the route's host",
        "names from the proxy; prints Markdown for $GITHUB_STEP_SUMMARY."})
final class WorkflowSummaryCommand implements Callable<Integer> {
  private static final long MAX_RESULT_BYTES = 1 << 20;

  private final Session session;

  @Mixin ProjectEnvOptions target;

  @Option(names = "--result", paramLabel = "FILE", required = true,
      description = "The output of `we deploy --json`.")
  Path result;

  WorkflowSummaryCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    DeployKey key = target.key();
    PrintStream out = session.out();
    out.println("### Deploy of " + key.project() + " (" + key.environment() + ")");
    out.println();
    JsonNode deploy = readResult(session.path(result));
    if (deploy == null) {
      out.println("`we deploy` reported no result: see the deploy step's log.");
      return 0;
    }
    out.println("| | |");
    out.println("|---|---|");
    row(out, "outcome", text(deploy, "outcome"));
    row(out, "release", text(deploy, "release"));
    row(out, "image", text(deploy, "image"));
    row(out, "slot", text(deploy, "slot"));
    row(out, "live slot", text(deploy, "live"));
    row(out, "URL", urls(key));
    String reason = text(deploy, "reason");
    if (!reason.equals("-")) {
      out.println();
      out.println("Reason: " + markdown(reason));
    }
    return 0;
  }

  private static JsonNode readResult(Path file) {
    try {
      if (!Files.isRegularFile(file) || Files.size(file) == 0) {
        return null;
      }
      JsonNode node = new ObjectMapper().readTree(
          InputFiles.read(file, "deploy result", MAX_RESULT_BYTES));
      return node != null && node.isObject() && node.has("outcome") ? node : null;
    } catch (IOException | CodeBException e) {
      return null;
    }
  }

  /** The route's hosts as https URLs; what went wrong when they cannot be read. */
  private String urls(DeployKey key) {
    try (DeployProviders providers = DeployProviders.forRoutes(session)) {
      List<String> urls = new ArrayList<>();
      for (Route route : providers.proxy().routes()) {
        if (route.id().equals(key.id())) {
          route.hosts().forEach(h -> urls.add("https://" + h + "/"));
        }
      }
      return urls.isEmpty() ? "none yet (add a host with `we domain add`)" : String.join(" ", urls);
    } catch (CodeBException e) {
      return "unknown (the proxy could not be read: " + e.kind() + ")";
    }
  }

  private static void row(PrintStream out, String name, String value) {
    out.println("| " + name + " | " + markdown(value) + " |");
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? "-" : v.asText();
  }

  /** One line, with the characters that would break a table cell escaped. */
  private static String markdown(String s) {
    return s.replace("\r", " ").replace("\n", " ").replace("|", "\\|");
  }
}
