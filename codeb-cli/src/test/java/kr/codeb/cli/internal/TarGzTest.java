package kr.codeb.cli.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The release archives' tar: what the system's tar writes is read, what is written it reads. */
class TarGzTest {
  @TempDir Path dir;

  private static final String LONG = "lib/" + "a-rather-long-folder-name/".repeat(4)
      + "codeb-cli-0.1.0-SNAPSHOT-all.jar";

  private Path folder() throws IOException {
    Path f = dir.resolve("we-1.2.3");
    Files.createDirectories(f.resolve(LONG).getParent());
    Files.createDirectories(f.resolve("bin"));
    Files.writeString(f.resolve("bin/we"), "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(f.resolve("bin/we"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.write(f.resolve(LONG), new byte[70_000]);
    Files.writeString(f.resolve("SHA256SUMS"), "sums\n");
    return f;
  }

  private static String tar(Path workDir, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/tar"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "tar: " + out);
    return out;
  }

  @Test
  void readsWhatTheSystemTarWritesLongNamesIncluded() throws Exception {
    folder();
    Path archive = dir.resolve("we-1.2.3.tar.gz");
    for (String format : List.of("posix", "gnu")) {
      tar(dir, "--format=" + format, "-czf", archive.toString(), "we-1.2.3");
      TarGz.Listing l = TarGz.read(archive, p -> p.endsWith("/SHA256SUMS"));
      assertTrue(l.paths().contains("we-1.2.3/" + LONG), format + ": " + l.paths());
      assertTrue(l.paths().contains("we-1.2.3/bin/we"), l.paths().toString());
      assertArrayEquals("sums\n".getBytes(StandardCharsets.UTF_8),
          l.kept().get("we-1.2.3/SHA256SUMS"), format);
      assertEquals(1, l.kept().size());
    }
  }

  @Test
  void theSystemTarUnpacksWhatIsWrittenWithModesAndContent() throws Exception {
    Path f = folder();
    Path archive = dir.resolve("packed.tar.gz");
    try (OutputStream out = Files.newOutputStream(archive)) {
      TarGz.write(f, List.of("bin/we", LONG, "SHA256SUMS"), "we-9.9.9", out);
    }
    Path into = Files.createDirectories(dir.resolve("into"));
    tar(into, "-xzf", archive.toString());
    Path unpacked = into.resolve("we-9.9.9");
    assertEquals("#!/bin/sh\necho hi\n", Files.readString(unpacked.resolve("bin/we")));
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(unpacked.resolve("bin/we"))));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(unpacked.resolve("SHA256SUMS"))));
    assertEquals(70_000, Files.size(unpacked.resolve(LONG)));
    assertTrue(TarGz.read(archive, p -> false).paths().contains("we-9.9.9/" + LONG));
    // Owned by 0 without names (not the packing user), folders before their files.
    String listing = tar(into, "--numeric-owner", "-tvzf", archive.toString());
    assertTrue(listing.lines().allMatch(l -> l.contains(" 0/0 ")), listing);
    assertTrue(listing.lines().anyMatch(l -> l.startsWith("-rwxr-xr-x") && l.endsWith(
        " we-9.9.9/bin/we")), listing);
    assertEquals(List.of("we-9.9.9/", "we-9.9.9/bin/", "we-9.9.9/bin/we"),
        TarGz.read(archive, p -> false).paths().subList(0, 3));
  }

  @Test
  void anArchiveCutShortIsRefused() throws Exception {
    Path f = folder();
    Path archive = dir.resolve("packed.tar.gz");
    try (OutputStream out = Files.newOutputStream(archive)) {
      TarGz.write(f, List.of("bin/we", LONG, "SHA256SUMS"), "we-9.9.9", out);
    }
    byte[] whole = Files.readAllBytes(archive);
    Path cut = Files.write(dir.resolve("cut.tar.gz"),
        java.util.Arrays.copyOf(whole, whole.length / 2));
    assertThrows(IOException.class, () -> TarGz.read(cut, p -> true));
  }

  @Test
  void aFileThatIsNotATarGzIsRefused() throws IOException {
    Path bad = Files.writeString(dir.resolve("we-1.tar.gz"), "not gzip");
    assertThrows(IOException.class, () -> TarGz.read(bad, p -> true));
  }
}
