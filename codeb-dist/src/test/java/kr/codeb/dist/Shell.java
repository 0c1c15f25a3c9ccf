package kr.codeb.dist;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs programs the way a user's shell would: a given folder, a given environment (nothing
 * inherited), output collected in files (no pipe to fill up), and a time limit.
 */
final class Shell {
  /** The JDK running the tests: the only java the commands see. */
  static final Path JDK_BIN = Path.of(System.getProperty("java.home"), "bin");

  private final Path workDir;
  private final Map<String, String> env;

  private Shell(Path workDir, Map<String, String> env) {
    this.workDir = workDir;
    this.env = Map.copyOf(env);
  }

  /** In {@code workDir}, with HOME set and a PATH holding only the JDK's bin. */
  static Shell in(Path workDir, Path home) {
    return new Shell(workDir, Map.of("HOME", home.toString(), "PATH", JDK_BIN.toString(),
        "LANG", "C.UTF-8"));
  }

  /** The same shell with one more variable (null: without it). */
  Shell with(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(env);
    if (value == null) {
      copy.remove(name);
    } else {
      copy.put(name, value);
    }
    return new Shell(workDir, copy);
  }

  Shell at(Path folder) {
    return new Shell(folder, env);
  }

  record Result(int code, String out, String err) {
    Result expect(int expected) {
      if (code != expected) {
        throw new AssertionError("exit " + code + " (expected " + expected + ")\nstdout:\n" + out
            + "\nstderr:\n" + err);
      }
      return this;
    }
  }

  Result run(String... command) {
    return run(Duration.ofSeconds(90), command);
  }

  Result run(Duration limit, String... command) {
    try {
      Path out = Files.createTempFile("shell", ".out");
      Path err = Files.createTempFile("shell", ".err");
      try {
        Process p = start(out.toFile(), err.toFile(), command);
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new AssertionError(String.join(" ", command) + " still ran after " + limit
              + "\nstderr:\n" + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Starts the command in the background, its output to the two files. */
  Process start(File out, File err, String... command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(workDir.toFile())
        .redirectOutput(out).redirectError(err)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().clear();
    pb.environment().putAll(env);
    return pb.start();
  }

  /** A system tool (tar, bash), by its absolute path: the PATH given to we holds only java. */
  static String tool(String name) {
    for (String dir : List.of("/usr/bin", "/bin")) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return dir + "/" + name;
      }
    }
    throw new AssertionError(name + " is not installed in /usr/bin or /bin");
  }
}
