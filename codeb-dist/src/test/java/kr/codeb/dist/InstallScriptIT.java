package kr.codeb.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * scripts/install.sh: versioned folders, an atomically switched {@code current} link, the
 * archive's checksums verified before anything changes, and idempotent.
 */
class InstallScriptIT {
  private static Path tmp;
  private static Shell shell;

  @BeforeAll
  static void setUp() throws IOException {
    tmp = Files.createTempDirectory(Path.of("/tmp"), "we-install");
    shell = Shell.in(tmp, tmp).with("PATH", "/usr/bin:/bin").with("CODEB_CDS", "off");
  }

  @AfterAll
  static void clean() {
    Archives.deleteTree(tmp);
  }

  private static Shell.Result install(Path prefix, String... more) {
    String[] command = Stream.concat(Stream.of(Archives.INSTALL_SCRIPT.toString(), "--prefix",
        prefix.toString()), Stream.of(more)).toArray(String[]::new);
    return shell.run(command);
  }

  private static List<String> entries(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
          .sorted().toList();
    }
  }

  @Test
  void installsAVersionFolderAndSwitchesCurrentAndAgainChangesNothing() throws IOException {
    Path prefix = tmp.resolve("opt-codeb");
    Path bin = tmp.resolve("usr-local-bin");
    String folder = "we-" + Archives.VERSION;
    Shell.Result first = install(prefix, "--bin-dir", bin.toString(),
        Archives.ARCHIVE.toString()).expect(0);
    assertTrue(first.out().contains("installed we " + Archives.VERSION + " in " + prefix + "/"
        + folder), first.out());
    assertEquals(List.of("current", folder), entries(prefix));
    assertEquals(Path.of(folder), Files.readSymbolicLink(prefix.resolve("current")));
    assertEquals(prefix.resolve("current/bin/we"), Files.readSymbolicLink(bin.resolve("we")));
    long installedAt = Files.getLastModifiedTime(prefix.resolve(folder)).toMillis();

    Shell.Result again = install(prefix, "--bin-dir", bin.toString(),
        Archives.ARCHIVE.toString()).expect(0);
    assertTrue(again.out().contains("already installed") && again.out().contains("(unchanged)"),
        again.out());
    assertEquals(List.of("current", folder), entries(prefix));
    assertEquals(installedAt, Files.getLastModifiedTime(prefix.resolve(folder)).toMillis());

    // The installed we runs through the /usr/local/bin-like link, from any folder.
    Shell.Result version = Shell.in(tmp, tmp).with("CODEB_CDS", "off")
        .run(bin.resolve("we").toString(), "--version").expect(0);
    assertTrue(version.out().startsWith("we " + Archives.VERSION + " "), version.out());
  }

  @Test
  void aTamperedArchiveIsRefusedAndNothingChanges() throws IOException {
    Path prefix = tmp.resolve("tampered-prefix");
    Path work = tmp.resolve("tamper");
    Path unpacked = Archives.unpack(Archives.ARCHIVE, work);
    Files.writeString(unpacked.resolve("bin/we"), "\necho tampered\n",
        java.nio.file.StandardOpenOption.APPEND);
    Path bad = tmp.resolve("bad/we-" + Archives.VERSION + ".tar.gz");
    Files.createDirectories(bad.getParent());
    shell.run(Shell.tool("tar"), "-czf", bad.toString(), "-C", work.toString(),
        unpacked.getFileName().toString()).expect(0);

    Shell.Result r = install(prefix, bad.toString());
    r.expect(1);
    assertTrue(r.err().contains("failed its SHA256SUMS check; nothing was installed")
        && r.err().contains("bin/we: FAILED"), r.err());
    assertEquals(List.of(), entries(prefix), "no version folder, no current link");

    // A file the sums do not list is refused too.
    Archives.writeChecksums(unpacked);
    Files.writeString(unpacked.resolve("lib/extra.jar"), "not listed");
    shell.run(Shell.tool("tar"), "-czf", bad.toString(), "-C", work.toString(),
        unpacked.getFileName().toString()).expect(0);
    Shell.Result extra = install(prefix, bad.toString());
    extra.expect(1);
    assertTrue(extra.err().contains("> lib/extra.jar"), extra.err());
    assertEquals(List.of(), entries(prefix));
  }

  @Test
  void aRebuildOfTheSameVersionGoesBesideTheFolderInUse() throws IOException {
    Path prefix = tmp.resolve("rebuild-prefix");
    install(prefix, Archives.ARCHIVE.toString()).expect(0);
    // Same version, other content: re-checksummed, as a rebuilt snapshot would be.
    Path work = tmp.resolve("rebuild");
    Path unpacked = Archives.unpack(Archives.ARCHIVE, work);
    Files.writeString(unpacked.resolve("README.md"), "rebuilt\n");
    Archives.writeChecksums(unpacked);
    Path rebuilt = tmp.resolve("rebuilt/we-" + Archives.VERSION + ".tar.gz");
    Files.createDirectories(rebuilt.getParent());
    shell.run(Shell.tool("tar"), "-czf", rebuilt.toString(), "-C", work.toString(),
        unpacked.getFileName().toString()).expect(0);

    install(prefix, rebuilt.toString()).expect(0);
    String sums = Archives.sha256(unpacked.resolve("SHA256SUMS")).substring(0, 12);
    String beside = "we-" + Archives.VERSION + "+" + sums;
    assertEquals(List.of("current", "we-" + Archives.VERSION, beside), entries(prefix));
    assertEquals(Path.of(beside), Files.readSymbolicLink(prefix.resolve("current")));
    assertFalse(Files.readString(prefix.resolve("we-" + Archives.VERSION + "/README.md"))
        .equals("rebuilt\n"), "the folder in use is left alone");
  }

  @Test
  void badUsageIsRefusedWithWhatIsAllowed() throws IOException {
    Path prefix = tmp.resolve("usage-prefix");
    Shell.Result option = install(prefix, "--force");
    option.expect(2);
    assertTrue(option.err().contains("unknown option --force (allowed: --prefix DIR, --bin-dir"
        + " DIR)"), option.err());
    Shell.Result missing = install(prefix, tmp.resolve("we-9.9.9.tar.gz").toString());
    missing.expect(2);
    assertTrue(missing.err().contains("no such archive"), missing.err());
    Path notOurs = Files.writeString(tmp.resolve("backup.tar.gz"), "x");
    Shell.Result name = install(prefix, notOurs.toString());
    name.expect(2);
    assertTrue(name.err().contains("is not a we release archive (allowed: we-VERSION.tar.gz)"),
        name.err());
    assertFalse(Files.exists(prefix.resolve("current")));
  }
}
