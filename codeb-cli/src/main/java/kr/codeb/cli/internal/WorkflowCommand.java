package kr.codeb.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;
import kr.codeb.Checks;
import kr.codeb.InputFiles;
import kr.codeb.InvalidRequestException;
import kr.codeb.UnavailableException;
import kr.codeb.workflow.WorkflowSpec;
import kr.codeb.workflow.Workflows;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code we workflow}: GitHub Actions workflows that build the image and deploy it with
 * {@code we deploy} on the app server's self-hosted runner.
 */
@Command(
    name = "workflow", header = "Generate and check GitHub Actions deploy workflows.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"A push to the branch builds the image, tags it with the commit, pushes it,",
        "and runs `we deploy` with its digest on the app server's self-hosted runner."})
final class WorkflowCommand implements Callable<Integer> {
  private final Session session;

  WorkflowCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    return session.missingSubcommand("we workflow");
  }

  /** {@code we workflow generate PROJECT --env ENV [options] [--out FILE]}. */
  @Command(
      name = "generate", header = "Write the deploy workflow of a project and environment.",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {"Writes .github/workflows/<project>-<env>.yml (or --out FILE; '-' for",
          "stdout). The same options always write the same bytes."})
  static final class Generate implements Callable<Integer> {
    private final Session session;

    @Parameters(index = "0", paramLabel = "PROJECT", description = "Project name, e.g. acme.")
    String project;

    @Mixin WorkflowOptions options;

    @Option(names = "--out", paramLabel = "FILE",
        description = "Where to write it (default: .github/workflows/<project>-<env>.yml;"
            + " '-' prints it).")
    String out;

    Generate(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      WorkflowSpec spec = options.spec(session, project);
      String text = Workflows.generate(spec);
      List<String> secrets = Workflows.secrets(spec);
      if ("-".equals(out)) {
        session.out().print(text);
        return 0;
      }
      Path file = outputPath(out == null ? spec.defaultPath() : out);
      boolean changed = write(file, text);
      if (session.json()) {
        ObjectNode root = session.jsonOutput().object();
        root.put("file", file.toString());
        root.put("changed", changed);
        secretsJson(root.putArray("secrets"), secrets);
        session.printJson(root);
      } else {
        session.out().println((changed ? "wrote " : "unchanged: ") + file);
        printSecrets(session, secrets);
      }
      return 0;
    }

    private Path outputPath(String given) {
      try {
        return session.path(Path.of(given));
      } catch (InvalidPathException e) {
        throw new InvalidRequestException("--out " + Checks.quote(given) + " is not a usable path"
            + " (" + e.getReason() + ")");
      }
    }
  }

  /** {@code we workflow secrets PROJECT --env ENV [options]}. */
  @Command(
      name = "secrets", header = "List the repository secrets the workflow reads.",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {"The names only: the workflow refers to them as ${{ secrets.NAME }};",
          "set them in the repository's settings (or `gh secret set NAME`)."})
  static final class Secrets implements Callable<Integer> {
    private final Session session;

    @Parameters(index = "0", paramLabel = "PROJECT", description = "Project name, e.g. acme.")
    String project;

    @Mixin WorkflowOptions options;

    Secrets(Session session) {
      this.session = session;
    }

    @Override
    public Integer call() {
      List<String> secrets = Workflows.secrets(options.spec(session, project));
      if (session.json()) {
        ObjectNode root = session.jsonOutput().object();
        secretsJson(root.putArray("secrets"), secrets);
        session.printJson(root);
      } else {
        printSecrets(session, secrets);
      }
      return 0;
    }
  }

  static void secretsJson(ArrayNode array, List<String> secrets) {
    for (String name : secrets) {
      array.addObject().put("name", name)
          .put("providedByGitHub", name.equals(WorkflowSpec.GITHUB_TOKEN));
    }
  }

  static void printSecrets(Session session, List<String> secrets) {
    List<String> toSet = secrets.stream().filter(s -> !s.equals(WorkflowSpec.GITHUB_TOKEN)).toList();
    if (toSet.isEmpty()) {
      session.out().println("secrets to set: none (GITHUB_TOKEN is provided by GitHub)");
      return;
    }
    session.out().println("secrets to set (Settings > Secrets and variables > Actions, or"
        + " `gh secret set NAME`):");
    toSet.forEach(s -> session.out().println("  " + s));
  }

  /**
   * Writes {@code text} to {@code file} through a temporary file in the same folder and a
   * rename, creating missing folders; returns false when the file already held it. Every check
   * that can fail is made before anything is created: bad input leaves the disk as it was.
   */
  static boolean write(Path file, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    String shown = InputFiles.shown(file);
    if (Files.isDirectory(file)) {
      throw new InvalidRequestException("--out " + shown + " is a folder: name the file to write");
    }
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file)) {
      throw new InvalidRequestException("--out " + shown + " is not a regular file");
    }
    Path parent = file.toAbsolutePath().getParent();
    Path existing = parent;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing)) {
      throw new InvalidRequestException("cannot write --out " + shown + ": "
          + (existing == null ? "no folder of it exists" : InputFiles.shown(existing)
              + " is not a folder"));
    }
    if (!Files.isWritable(existing)) {
      throw new InvalidRequestException("cannot write --out " + shown + ": "
          + InputFiles.shown(existing) + " is not writable");
    }
    try {
      if (Files.isRegularFile(file) && java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
        return false;
      }
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
      try {
        Files.write(tmp, bytes);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      return true;
    } catch (AccessDeniedException | NotDirectoryException | FileAlreadyExistsException
        | NoSuchFileException e) {
      throw new InvalidRequestException("cannot write --out " + shown + ": "
          + InputFiles.reason(e));
    } catch (IOException e) {
      throw new UnavailableException("cannot write " + shown + ": " + InputFiles.reason(e));
    }
  }
}
