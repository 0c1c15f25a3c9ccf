package kr.codeb.init.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.UnavailableException;
import kr.codeb.init.InitRequest;
import kr.codeb.init.InitStep;
import kr.codeb.init.StepAction;
import kr.codeb.init.StepPlan;
import kr.codeb.init.StepResult;
import kr.codeb.workflow.WorkflowSpec;
import kr.codeb.workflow.Workflows;

/**
 * Step 7: the deploy workflow ({@code we workflow generate}'s default) in the repository given
 * with {@code --repo}. A file with other content differs and is left alone. Created item:
 * {@code workflow:<sha256 of what init wrote>:<absolute path>}; destroy deletes the file only
 * while it still holds that.
 */
public final class WorkflowStep implements InitStep {
  private final InitRequest request;
  private final List<String> runnerLabels;

  public WorkflowStep(InitRequest request, List<String> runnerLabels) {
    this.request = request;
    this.runnerLabels = List.copyOf(runnerLabels);
    request.repo().ifPresent(WorkflowStep::checkRepo);
  }

  private static void checkRepo(Path repo) {
    if (!Files.isDirectory(repo)) {
      throw new InvalidRequestException("--repo " + repo + " is not a folder: give the checkout"
          + " of the project's repository");
    }
  }

  @Override
  public String id() {
    return "workflow";
  }

  @Override
  public String title() {
    return "GitHub Actions workflow";
  }

  private WorkflowSpec spec() {
    return WorkflowSpec.of(request.project(), request.environment(), runnerLabels);
  }

  private Optional<Path> file() {
    return request.repo().map(r -> r.resolve(spec().defaultPath()));
  }

  @Override
  public StepPlan plan() {
    if (file().isEmpty()) {
      return StepPlan.of(this, StepAction.UNCHANGED, List.of("no --repo: no workflow file"));
    }
    Path file = file().get();
    Optional<String> now = read(file);
    if (now.isEmpty()) {
      return StepPlan.of(this, StepAction.CREATE, List.of("write " + file));
    }
    List<String> diff = Workflows.check(now.get(), spec(), file.toString());
    if (diff.isEmpty()) {
      return StepPlan.of(this, StepAction.UNCHANGED, List.of(file + " as generated"));
    }
    return StepPlan.differs(this, file + " differs from what we workflow generate writes ("
        + diff.stream().filter(l -> l.startsWith("+") || l.startsWith("-")).count()
        + " lines): left alone; see we workflow check", List.of(file.toString()));
  }

  @Override
  public List<String> intended(StepPlan plan) {
    return plan.action() == StepAction.CREATE ? List.of("workflow:"
        + sha256(Workflows.generate(spec())) + ":" + file().orElseThrow().toAbsolutePath())
        : List.of();
  }

  @Override
  public StepResult apply(StepPlan plan) {
    Path file = file().orElseThrow();
    String text = Workflows.generate(spec());
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new UnavailableException("cannot create " + file.getParent() + ": " + e.getMessage(),
          e);
    }
    AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
    try {
      Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions
          .fromString("rw-r--r--"));
    } catch (IOException e) {
      throw new UnavailableException("cannot set the mode of " + file + ": " + e.getMessage(), e);
    }
    return StepResult.done(plan, List.of("wrote " + file + "; secrets to set: "
        + Workflows.secrets(spec()).stream().filter(s -> !s.equals(WorkflowSpec.GITHUB_TOKEN))
            .toList()), List.of("workflow:" + sha256(text) + ":"
        + file.toAbsolutePath()));
  }

  @Override
  public List<String> undoPlan(List<String> created, boolean deleteData) {
    List<String> out = new ArrayList<>();
    for (String item : created) {
      Optional<Path> file = written(item);
      if (file.isEmpty()) {
        continue;
      }
      Optional<String> now = read(file.get());
      if (now.isPresent()) {
        out.add((item.startsWith("workflow:" + sha256(now.get()) + ":") ? "delete " : "keep ")
            + file.get() + (item.startsWith("workflow:" + sha256(now.get()) + ":") ? ""
                : ": changed since init wrote it"));
      }
    }
    return out;
  }

  @Override
  public List<String> undo(List<String> created, boolean deleteData) {
    List<String> out = new ArrayList<>();
    for (String line : undoPlan(created, deleteData)) {
      if (line.startsWith("keep ")) {
        out.add("kept" + line.substring(4));
        continue;
      }
      Path file = Path.of(line.substring("delete ".length()));
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UnavailableException("cannot delete " + file + ": " + e.getMessage(), e);
      }
      out.add("deleted " + file);
    }
    return out;
  }

  /** The file a created item names: {@code workflow:<sha256>:<absolute path>}. */
  private static Optional<Path> written(String item) {
    String[] parts = item.split(":", 3);
    return parts.length == 3 && parts[0].equals("workflow") ? Optional.of(Path.of(parts[2]))
        : Optional.empty();
  }

  private static Optional<String> read(Path file) {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidRequestException(file + " is not a regular file");
    }
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UnavailableException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
