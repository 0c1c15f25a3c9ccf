package kr.codeb.workflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.workflow.internal.LineDiff;
import kr.codeb.workflow.internal.WorkflowTree;
import kr.codeb.workflow.internal.YamlWriter;

/**
 * GitHub Actions workflows for CodeB deploys: a push to the branch (or a manual run) builds the
 * image with Docker, tags it with the commit, pushes it, and runs {@code we deploy} with the
 * pushed digest on the app server's self-hosted runner. Pure functions: nothing here reads or
 * writes files.
 */
public final class Workflows {
  /** The header line that records the spec, so that {@link #check} can regenerate the file. */
  public static final String PARAMETERS_PREFIX = "codeb-workflow:";

  private static final Pattern SECRET_REFERENCE =
      Pattern.compile("\\$\\{\\{\\s*secrets\\.([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

  private Workflows() {}

  /**
   * The workflow file for {@code spec}: the same text for the same spec, byte for byte. It holds
   * no secret value, only {@code ${{ secrets.NAME }}} references (see {@link #secrets}), and no
   * port: {@code we} reads the ports from the SSOT on the runner.
   */
  public static String generate(WorkflowSpec spec) {
    List<String> header = new ArrayList<>(List.of(
        "Deploys " + spec.project().value() + " (" + spec.environment().name() + ") with CodeB:"
            + " a push to " + spec.branch() + " or a manual run",
        "builds the image, tags it with the commit, pushes it to " + spec.registryHost() + ",",
        "and runs `we deploy` with its digest on the runner labelled "
            + String.join(", ", spec.runnerLabels()) + ".",
        "The runner's environment names the SSOT and the engines (CODEB_CONFIG, or CODEB_SSOT,",
        "CODEB_RUNTIME and CODEB_PROXY); the ports come from the SSOT, never from this file.",
        "Written by `we workflow generate`: `we workflow check FILE` shows what differs from",
        "what it writes now. Secrets to set: `we workflow secrets`."));
    StringBuilder line = new StringBuilder(PARAMETERS_PREFIX);
    spec.parameters().forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
    header.add(line.toString());
    return YamlWriter.write(header, WorkflowTree.of(spec));
  }

  /**
   * The names of the repository secrets the workflow reads, sorted; {@code GITHUB_TOKEN} is
   * among them when used (GitHub provides it, nobody sets it).
   */
  public static List<String> secrets(WorkflowSpec spec) {
    return secretReferences(generate(spec));
  }

  /** The secret names a workflow text refers to as {@code ${{ secrets.NAME }}}, sorted. */
  public static List<String> secretReferences(String workflowText) {
    TreeSet<String> names = new TreeSet<>();
    Matcher m = SECRET_REFERENCE.matcher(workflowText);
    while (m.find()) {
      names.add(m.group(1));
    }
    return List.copyOf(names);
  }

  /**
   * The spec a generated file records in its {@link #PARAMETERS_PREFIX} header line, if it has
   * one; a header line that does not parse is bad input naming the problem.
   */
  public static Optional<WorkflowSpec> recordedSpec(String workflowText) {
    for (String line : workflowText.split("\n", -1)) {
      String trimmed = line.strip();
      if (!trimmed.startsWith("#")) {
        continue;
      }
      String body = trimmed.substring(1).strip();
      if (!body.startsWith(PARAMETERS_PREFIX)) {
        continue;
      }
      Map<String, String> parameters = new LinkedHashMap<>();
      for (String pair : body.substring(PARAMETERS_PREFIX.length()).strip().split("\\s+")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new InvalidRequestException("the '" + PARAMETERS_PREFIX + "' header line holds "
              + Checks.quote(pair) + ", not key=value");
        }
        parameters.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
      return Optional.of(WorkflowSpec.fromParameters(parameters));
    }
    return Optional.empty();
  }

  /**
   * How {@code existing} differs from what {@link #generate} writes for {@code spec} now, as
   * the lines of a unified diff ({@code ---}/{@code +++} headers, {@code @@} hunks, lines
   * starting with {@code -} for the existing file and {@code +} for the generated one); empty
   * when they are the same. Line endings ({@code \r\n}) are not drift.
   */
  public static List<String> check(String existing, WorkflowSpec spec, String existingName) {
    String expected = generate(spec);
    List<String> was = lines(existing.replace("\r\n", "\n"));
    List<String> now = lines(expected);
    if (was.equals(now)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    out.add("--- " + existingName);
    out.add("+++ we workflow generate " + spec.project().value() + " --env "
        + spec.environment().name());
    out.addAll(LineDiff.unified(was, now, 3));
    return out;
  }

  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }
}
