package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import kr.codeb.InputFiles;
import kr.codeb.InvalidRequestException;
import kr.codeb.workflow.WorkflowSpec;
import kr.codeb.workflow.Workflows;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code we workflow check FILE}: what differs from what {@code generate} writes now. */
@Command(
    name = "check", header = "Show how a workflow file differs from what generate writes now.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Prints a unified diff ('-' the file, '+' what generate writes) and exits 1",
        "when they differ, 0 when they are the same. A generated file names its options in",
        "its header; for any other file (a hand-written one) give --project, --env and the",
        "generate options it should match."})
final class WorkflowCheckCommand implements Callable<Integer> {
  /** Workflow files are a few KiB; anything larger is not one. */
  static final long MAX_BYTES = 1 << 20;

  private final Session session;

  @Parameters(index = "0", paramLabel = "FILE", description = "The workflow file.")
  Path file;

  @Option(names = "--project", paramLabel = "PROJECT",
      description = "The project (default: the one the file's header names).")
  String project;

  @Mixin WorkflowOptions options;

  WorkflowCheckCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    Path path = session.path(file);
    String text = new String(InputFiles.read(path, "workflow file", MAX_BYTES),
        StandardCharsets.UTF_8);
    WorkflowSpec spec;
    if (project != null) {
      spec = options.spec(session, project);
    } else {
      spec = Workflows.recordedSpec(text).orElseThrow(() -> new InvalidRequestException(
          InputFiles.shown(path) + " has no '# " + Workflows.PARAMETERS_PREFIX + "' header line"
              + " (it was not written by `we workflow generate`): give --project and --env, and"
              + " the generate options it should match"));
      WorkflowOptions.requireEnvironment(session, spec.environment());
    }
    List<String> diff = Workflows.check(text, spec, InputFiles.shown(path));
    if (session.json()) {
      ObjectNode root = session.jsonOutput().object();
      root.put("file", path.toString());
      root.put("project", spec.project().value());
      root.put("environment", spec.environment().name());
      root.put("drift", !diff.isEmpty());
      ArrayNode lines = root.putArray("diff");
      diff.forEach(lines::add);
      session.printJson(root);
    } else if (diff.isEmpty()) {
      session.out().println("no drift: " + InputFiles.shown(path) + " is what `we workflow"
          + " generate` writes");
    } else {
      diff.forEach(session.out()::println);
    }
    return diff.isEmpty() ? 0 : 1;
  }
}
