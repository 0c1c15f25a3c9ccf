package kr.codeb.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** {@code we --version}: the version, the commit it was built from, and the Java running it. */
class VersionProviderTest {
  @Test
  void versionLineNamesTheCommitAndTheJavaRuntime() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Cli.run(new String[] {"--version"}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8), name -> null);
    assertEquals(0, code);
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(2, lines.length, out.toString(StandardCharsets.UTF_8));
    // The build filters the commit in (git-commit-id-maven-plugin); this test runs in a checkout.
    assertTrue(lines[0].matches("we \\d+\\.\\d+\\.\\d+\\S* \\(commit [0-9a-f]{7,40}\\)"), lines[0]);
    assertEquals("Java " + System.getProperty("java.runtime.version") + " ("
        + System.getProperty("java.vendor") + ") at " + System.getProperty("java.home"), lines[1]);
  }

  @Test
  void aBuildWithoutGitSaysUnknown() {
    Properties unfiltered = new Properties();
    unfiltered.setProperty("version", "1.2.3");
    unfiltered.setProperty("commit", "${git.commit.id.abbrev}");
    assertEquals("unknown", VersionProvider.commit(unfiltered));
    assertEquals("1.2.3", VersionProvider.version(unfiltered));
    assertEquals("unknown", VersionProvider.commit(new Properties()));
  }
}
