package kr.codeb.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.codeb.ConflictException;
import kr.codeb.UnavailableException;
import kr.codeb.fleet.ServerLink;
import kr.codeb.fleet.ServerLink.CommandResult;

/**
 * Installs a release archive on one server over its {@link ServerLink}, the way a person would:
 * the archive is uploaded (SFTP) into a new temporary folder, its SHA-256 on the server
 * ({@code sha256sum}) must equal the one computed here, and the archive's own
 * {@code install.sh} installs it ({@code --prefix}, {@code --bin-dir}): a new version folder,
 * {@code current} switched in one rename, nothing changed when a check fails. The temporary
 * folder is removed in every case.
 *
 * <p>Idempotent, and cheap when nothing is to do: one command first reads the installed
 * version, the digest of its SHA256SUMS and the {@code --bin-dir} link; when the same build is
 * current (and linked), nothing is uploaded.
 */
final class FleetInstall {
  /** What happened on one server; {@code before}/{@code after} are {@code we --version}'s line. */
  record Outcome(String outcome, Optional<String> before, Optional<String> after,
      boolean uploaded, Optional<String> detail) {
    static final String INSTALLED = "installed";
    static final String UNCHANGED = "unchanged";
    static final String FAILED = "failed";

    boolean ok() {
      return !outcome.equals(FAILED);
    }
  }

  private static final Pattern VERSION_LINE = Pattern.compile("we (\\S+) \\(commit [^)]*\\)");

  private final ServerLink link;
  private final String prefix;
  private final Optional<String> binDir;
  private final Duration timeout;

  FleetInstall(ServerLink link, String prefix, Optional<String> binDir, Duration timeout) {
    this.link = link;
    this.prefix = prefix;
    this.binDir = binDir;
    this.timeout = timeout;
  }

  /** Installs {@code archive}; a failure on the server is an outcome, not an exception. */
  Outcome install(ReleaseArchive archive) {
    Optional<String> before = Optional.empty();
    boolean uploaded = false;
    try {
      Map<String, String> state = state();
      before = Optional.ofNullable(state.get("version"));
      if (archive.sumsDigest().equals(state.get("sums"))
          && (binDir.isEmpty() || "ok".equals(state.get("link")))) {
        return new Outcome(Outcome.UNCHANGED, before, before, false,
            Optional.of(prefix + "/current is " + archive.folder() + " (the same build)"));
      }
      archive.packed(); // before anything on the server: a failure to pack leaves no trace there
      String dir = temporaryFolder();
      String switched;
      try {
        String remote = dir + "/" + archive.fileName();
        upload(archive, remote);
        uploaded = true;
        verify(archive, remote);
        CommandResult installed = run("cd " + sh(dir) + " && tar -xzf " + sh(remote) + " "
            + sh(archive.folder() + "/install.sh") + " && bash " + sh(archive.folder()
            + "/install.sh") + " --prefix " + sh(prefix)
            + binDir.map(b -> " --bin-dir " + sh(b)).orElse("") + " " + sh(remote));
        if (!installed.succeeded()) {
          return new Outcome(Outcome.FAILED, before, before, true, Optional.of("install.sh exited "
              + installed.exitStatus() + ": " + lastLines(installed.stderr()
              + installed.stdout())));
        }
        // install.sh's last line: "PREFIX/current -> FOLDER (was OLD)"
        switched = lastLine(installed.stdout());
      } finally {
        removeQuietly(dir);
      }
      Optional<String> after = Optional.ofNullable(state().get("version"));
      if (after.isEmpty() || !after.get().startsWith("we " + archive.version() + " ")) {
        return new Outcome(Outcome.FAILED, before, after, true, Optional.of("installed, but "
            + prefix + "/current/bin/we --version does not answer we " + archive.version()
            + after.map(a -> " (it says: " + a + ")").orElse("")));
      }
      return new Outcome(Outcome.INSTALLED, before, after, true, Optional.of(switched));
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new Outcome(Outcome.FAILED, before, before, uploaded, Optional.of(message));
    }
  }

  /**
   * What is installed: {@code version} (the first line of {@code we --version}, or what the
   * launcher said instead), {@code sums} (the SHA-256 of current/SHA256SUMS) and {@code link}
   * ({@code ok} when --bin-dir's we points at current/bin/we).
   */
  Map<String, String> state() {
    String p = sh(prefix);
    StringBuilder script = new StringBuilder()
        .append("if [ -x ").append(p).append("/current/bin/we ]; then ")
        .append("echo \"version=$(CODEB_CDS=off ").append(p)
        .append("/current/bin/we --version 2>&1 | head -n 1)\"; ")
        .append("echo \"sums=$(sha256sum <").append(p)
        .append("/current/SHA256SUMS 2>/dev/null | cut -c1-64)\"; fi");
    binDir.ifPresent(b -> script.append("; [ \"$(readlink ").append(sh(b + "/we"))
        .append(" 2>/dev/null)\" = \"$(cd ").append(p)
        .append(" 2>/dev/null && pwd -P)/current/bin/we\" ] && echo link=ok"));
    script.append("; true");
    CommandResult r = run(script.toString());
    Map<String, String> state = new LinkedHashMap<>();
    for (String line : r.stdout().split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.substring(eq + 1).isBlank()) {
        state.put(line.substring(0, eq), line.substring(eq + 1).strip());
      }
    }
    return state;
  }

  /** The version a {@code we --version} line names, if it is one. */
  static Optional<String> versionOf(String line) {
    Matcher m = VERSION_LINE.matcher(line == null ? "" : line);
    return m.lookingAt() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private String temporaryFolder() {
    CommandResult r = run("mktemp -d \"${TMPDIR:-/tmp}/we-upload-XXXXXX\"");
    String dir = r.stdout().strip();
    if (!r.succeeded() || !dir.startsWith("/") || dir.contains("\n")) {
      throw new UnavailableException("cannot make a temporary folder on the server (mktemp"
          + " exited " + r.exitStatus() + ": " + lastLines(r.stderr()) + ")");
    }
    return dir;
  }

  private void upload(ReleaseArchive archive, String remote) {
    Path file = archive.packed().file();
    try (InputStream in = Files.newInputStream(file)) {
      link.upload(in, remote, 0600);
    } catch (IOException e) {
      throw new kr.codeb.UnavailableException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The uploaded file's SHA-256, computed on the server, must be the one computed here. */
  void verify(ReleaseArchive archive, String remote) {
    CommandResult sum = run("sha256sum " + sh(remote));
    String found = sum.stdout().strip().split("\\s+", 2)[0];
    if (!sum.succeeded() || found.length() != 64) {
      throw new UnavailableException("cannot compute the archive's SHA-256 on the server"
          + " (sha256sum exited " + sum.exitStatus() + ": " + lastLines(sum.stderr()) + ")");
    }
    String expected = archive.packed().sha256();
    if (!found.equals(expected)) {
      throw new ConflictException("checksum mismatch: the uploaded " + archive.fileName()
          + " has SHA-256 " + found + " on the server, " + expected + " here;"
          + " nothing was installed");
    }
  }

  private void removeQuietly(String dir) {
    try {
      run("rm -rf " + sh(dir));
    } catch (RuntimeException e) {
      // a temporary folder left on the server; the install's outcome stands
    }
  }

  private CommandResult run(String command) {
    return link.run(command, timeout);
  }

  /** The last few lines of a command's output, for a one-line error. */
  private static String lastLines(String text) {
    String[] lines = text.strip().split("\n");
    int from = Math.max(0, lines.length - 4);
    return String.join(" / ", java.util.Arrays.copyOfRange(lines, from, lines.length)).strip();
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1].strip();
  }

  /** {@code word} quoted for the POSIX shell. */
  static String sh(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
