package kr.codeb.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import kr.codeb.testkit.SeedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The release archive as a new user meets it: unpacked into an empty folder, run with only a
 * JDK on the PATH, from another folder and through symlinks; and what it says without Java 17.
 */
class ArchiveIT {
  private static Path tmp;
  private static Path unpacked;

  @BeforeAll
  static void unpack() throws IOException {
    tmp = Files.createTempDirectory(Path.of("/tmp"), "we-archive");
    unpacked = Archives.unpack(Archives.ARCHIVE, tmp.resolve("unpacked"));
  }

  @AfterAll
  static void clean() {
    Archives.deleteTree(tmp);
  }

  @Test
  void holdsTheLauncherTheJarInstallScriptReadmeCompletionAndChecksumsOfEveryFile() throws IOException {
    assertEquals("we-" + Archives.VERSION, unpacked.getFileName().toString());
    Path we = unpacked.resolve("bin/we");
    assertTrue(Files.getPosixFilePermissions(we).contains(PosixFilePermission.OTHERS_EXECUTE));
    // One launcher source: the archive ships the repository's bin/we as it is.
    assertEquals(Files.readString(Archives.REPO_ROOT.resolve("bin/we")), Files.readString(we));
    assertTrue(Files.isRegularFile(
        unpacked.resolve("lib/codeb-cli-" + Archives.VERSION + "-all.jar")));
    assertTrue(Files.isRegularFile(
        unpacked.resolve("lib/codeb-mcp-" + Archives.VERSION + "-ext.jar")), "we mcp's jar");
    // install.sh ships too: a server needs nothing but the archive (and we fleet install runs it).
    assertEquals(Files.readString(Archives.INSTALL_SCRIPT), Files.readString(
        unpacked.resolve("install.sh")));
    assertTrue(Files.isExecutable(unpacked.resolve("install.sh")));
    assertEquals(Files.readString(Archives.REPO_ROOT.resolve("README.md")),
        Files.readString(unpacked.resolve("README.md")));

    List<String> files;
    try (Stream<Path> all = Files.walk(unpacked)) {
      files = all.filter(Files::isRegularFile).map(p -> unpacked.relativize(p).toString())
          .filter(p -> !p.equals("SHA256SUMS")).sorted().toList();
    }
    List<String> lines = Files.readAllLines(unpacked.resolve("SHA256SUMS"));
    assertEquals(files, lines.stream().map(l -> l.substring(66)).toList(),
        "SHA256SUMS lists every file, sorted");
    for (String line : lines) {
      assertEquals(Archives.sha256(unpacked.resolve(line.substring(66))), line.substring(0, 64),
          line);
    }
    // sha256sum itself agrees (the format install.sh checks with).
    Shell.in(unpacked, tmp).run(Shell.tool("sha256sum"), "--check", "--strict", "SHA256SUMS")
        .expect(0);
  }

  @Test
  void completionScriptsCompleteTheCommandTreeInBash() {
    for (String script : List.of("completion/we.bash", "completion/we.zsh")) {
      Shell.Result r = Shell.in(unpacked, tmp).with("PATH", "/usr/bin:/bin").run(
          Shell.tool("bash"), "-c",
          "source " + script + " && COMP_WORDS=(we ss) COMP_CWORD=1 COMP_LINE='we ss' "
              + "COMP_POINT=5 && _complete_we && echo \"${COMPREPLY[*]}\"");
      r.expect(0);
      assertEquals("ssot", r.out().strip(), script);
    }
  }

  @Test
  void runsWithOnlyTheJdkOnThePathFromAnotherFolderAndThroughSymlinks() throws IOException {
    Path work = Files.createDirectories(tmp.resolve("elsewhere/work"));
    Path ssot = SeedData.copySsotTo(work.resolve("registry"));
    // As in /usr/local/bin: an absolute link, and a relative link to that link.
    Path binDir = Files.createDirectories(tmp.resolve("usr-local-bin"));
    Path link = Files.createSymbolicLink(binDir.resolve("we"), unpacked.resolve("bin/we"));
    Path chained = Files.createSymbolicLink(tmp.resolve("elsewhere/we-link"),
        Path.of("../usr-local-bin/we"));
    Path cds = tmp.resolve("cds");
    Shell shell = Shell.in(work, tmp).with("CODEB_CDS_DIR", cds.toString());

    for (Path we : List.of(link, chained, unpacked.resolve("bin/we"))) {
      Shell.Result version = shell.run(we.toString(), "--version").expect(0);
      List<String> lines = version.out().lines().toList();
      assertEquals(2, lines.size(), version.out());
      assertTrue(lines.get(0).matches("we " + java.util.regex.Pattern.quote(Archives.VERSION)
          + " \\(commit [0-9a-f]{7,40}\\)"), lines.get(0));
      assertEquals("Java " + System.getProperty("java.runtime.version") + " ("
          + System.getProperty("java.vendor") + ") at " + System.getProperty("java.home"),
          lines.get(1));
      assertEquals("", version.err());
    }
    // The launcher made its class-data archive for the unpacked folder and this java.
    try (Stream<Path> made = Files.list(cds)) {
      assertTrue(made.anyMatch(p -> p.toString().endsWith(".jsa")), "a CDS archive in " + cds);
    }

    // The seed's SSOT holds one known inconsistency: exit 1, with both findings.
    Shell.Result check = shell.run(link.toString(), "ssot", "check", "--ssot",
        "registry/" + ssot.getFileName());
    check.expect(1);
    assertTrue(check.out().contains("owner-mismatch 4101"), check.out());
    assertTrue(check.out().contains("2 findings"), check.out());
    Shell.Result viaEnv = shell.with("CODEB_SSOT", ssot.toString())
        .run(chained.toString(), "ssot", "show", "--json").expect(0);
    assertTrue(viaEnv.out().contains("\"7.0.0\""), viaEnv.out());
  }

  @Test
  void saysWhatItFoundWhenJavaIsMissing() {
    Shell noJava = Shell.in(tmp, tmp).with("PATH", "/nonexistent/bin");
    Shell.Result r = noJava.run(unpacked.resolve("bin/we").toString(), "--version");
    r.expect(2);
    assertTrue(r.err().contains("needs Java 17 or newer, but found no java")
        && r.err().contains("JAVA_HOME is not set") && r.err().contains("/nonexistent/bin"),
        r.err());

    Shell.Result badHome = noJava.with("JAVA_HOME", tmp.toString())
        .run(unpacked.resolve("bin/we").toString(), "--version");
    badHome.expect(2);
    assertTrue(badHome.err().contains("JAVA_HOME is set to " + tmp + ", which has no executable"
        + " bin/java"), badHome.err());
  }

  @Test
  void saysWhatItFoundWhenJavaIsTooOld() throws IOException {
    // A java that answers like OpenJDK 11, found on the PATH (no release file: -version)...
    Path old = Files.createDirectories(tmp.resolve("jdk-11/bin"));
    Path java = old.resolve("java");
    Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"11.0.2\" 2019-01-15' >&2\n");
    Files.setPosixFilePermissions(java, Set.of(PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE));
    Shell shell = Shell.in(tmp, tmp).with("PATH", old.toString())
        .with("CODEB_CDS_DIR", tmp.resolve("cds-old").toString());
    Shell.Result r = shell.run(unpacked.resolve("bin/we").toString(), "--version");
    r.expect(2);
    assertTrue(r.err().contains("needs Java 17 or newer, but " + java + " (from the PATH) is"
        + " Java 11.0.2"), r.err());
    assertEquals("", r.out());

    // ...and one named by JAVA_HOME whose release file says 1.8 (without class-data sharing).
    Files.writeString(old.resolveSibling("release"), "JAVA_VERSION=\"1.8.0_292\"\n");
    Shell.Result eight = shell.with("JAVA_HOME", old.getParent().toString())
        .with("CODEB_CDS", "off").run(unpacked.resolve("bin/we").toString(), "ssot", "check");
    eight.expect(2);
    assertTrue(eight.err().contains("(from JAVA_HOME=" + old.getParent() + ") is Java 1.8.0_292"),
        eight.err());
    assertFalse(Files.exists(tmp.resolve("cds-old")) && tmp.resolve("cds-old").toFile()
        .list().length > 0, "no class-data archive for a refused java");
  }
}
