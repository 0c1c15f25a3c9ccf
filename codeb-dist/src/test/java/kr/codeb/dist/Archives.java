package kr.codeb.dist;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** The release archive the build made, and variants of it for upgrade tests. */
final class Archives {
  static final String VERSION = System.getProperty("codeb.dist.version");
  static final Path ARCHIVE = Path.of(System.getProperty("codeb.dist.archive"));
  static final Path REPO_ROOT = Path.of(System.getProperty("codeb.repo.root")).normalize();
  static final Path INSTALL_SCRIPT = REPO_ROOT.resolve("scripts/install.sh");
  private static final String VERSION_PROPERTIES = "kr/codeb/cli/internal/version.properties";

  private Archives() {}

  /** Unpacks {@code archive} into {@code into} with the system's tar; returns we-VERSION/. */
  static Path unpack(Path archive, Path into) throws IOException {
    Files.createDirectories(into);
    Shell.in(into, into).with("PATH", "/usr/bin:/bin").run(Shell.tool("tar"), "-xzf", archive.toString(), "-C", into.toString())
        .expect(0);
    try (Stream<Path> top = Files.list(into)) {
      List<Path> folders = top.filter(p -> p.getFileName().toString().startsWith("we-")).toList();
      if (folders.size() != 1) {
        throw new AssertionError("expected one we-VERSION folder in " + archive + ": " + folders);
      }
      return folders.get(0);
    }
  }

  /**
   * The same build relabelled as {@code version}: the folder, the jar's version (its manifest
   * and version.properties) and SHA256SUMS changed, packed as we-VERSION.tar.gz in {@code dir}.
   */
  static Path relabel(String version, Path dir) throws IOException {
    Path work = dir.resolve("relabel-" + version);
    Path unpacked = unpack(ARCHIVE, work);
    Path renamed = unpacked.resolveSibling("we-" + version);
    Files.move(unpacked, renamed);
    Path lib = renamed.resolve("lib");
    Path jar;
    try (Stream<Path> jars = Files.list(lib)) {
      jar = jars.filter(p -> p.toString().endsWith("-all.jar")).findFirst().orElseThrow();
    }
    Path relabelled = lib.resolve("codeb-cli-" + version + "-all.jar");
    relabelJar(jar, relabelled, version);
    Files.delete(jar);
    writeChecksums(renamed);
    Path archive = dir.resolve("we-" + version + ".tar.gz");
    Shell.in(work, work).with("PATH", "/usr/bin:/bin").run(Shell.tool("tar"), "-czf", archive.toString(), "-C",
        work.toString(), renamed.getFileName().toString()).expect(0);
    return archive;
  }

  private static void relabelJar(Path from, Path to, String version) throws IOException {
    try (JarInputStream in = new JarInputStream(Files.newInputStream(from))) {
      Manifest manifest = new Manifest(in.getManifest());
      manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
      try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(to), manifest)) {
        for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
          out.putNextEntry(new JarEntry(e.getName()));
          if (e.getName().equals(VERSION_PROPERTIES)) {
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            out.write(text.replaceAll("(?m)^version=.*$", "version=" + version)
                .getBytes(StandardCharsets.ISO_8859_1));
          } else {
            in.transferTo(out);
          }
          out.closeEntry();
        }
      }
    }
  }

  /** SHA256SUMS of every file under {@code folder}, as sha256sum writes it. */
  static void writeChecksums(Path folder) throws IOException {
    StringBuilder sums = new StringBuilder();
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path f : files.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().equals("SHA256SUMS"))
          .sorted((a, b) -> folder.relativize(a).toString().compareTo(folder.relativize(b)
              .toString())).toList()) {
        sums.append(sha256(f)).append("  ").append(folder.relativize(f)).append('\n');
      }
    }
    Files.writeString(folder.resolve("SHA256SUMS"), sums);
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[65536];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes a folder tree, best effort (a test's leftovers in /tmp). */
  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // left behind in /tmp
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // left behind in /tmp
    }
  }
}
