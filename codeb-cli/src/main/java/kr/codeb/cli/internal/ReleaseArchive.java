package kr.codeb.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import kr.codeb.InvalidRequestException;

/**
 * A release archive {@code we-VERSION.tar.gz} to install on servers: the file, its SHA-256, its
 * one folder {@code we-VERSION/}, and the digest of that folder's {@code SHA256SUMS} (which
 * names the build: an installed folder with the same SHA256SUMS is the same build).
 *
 * <p>It comes from {@code --archive FILE}, or from the installation the running {@code we}
 * was started from: the files its SHA256SUMS lists, checked against it and packed again when
 * a server first needs the upload (the archive itself is not kept once installed). A {@code we} run from a built checkout takes the
 * archive the build wrote in {@code codeb-dist/target}.
 */
final class ReleaseArchive {
  private static final Pattern NAME = Pattern.compile("we-[A-Za-z0-9][A-Za-z0-9._+-]*\\.tar\\.gz");
  private static final Pattern FOLDER = Pattern.compile("we-[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern SUMS_LINE = Pattern.compile("([0-9a-f]{64}) [ *](.+)");
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  /** The archive's file (temporary: packed for this run, deleted by discard()) and SHA-256. */
  record Packed(Path file, String sha256, boolean temporary) {
    Packed {
      java.util.Objects.requireNonNull(file, "file");
      if (!HEX64.matcher(sha256).matches()) {
        throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
      }
    }
  }

  private final String folder;
  private final String sumsDigest;
  private final Supplier<Packed> packer;
  private Packed packed;
  private RuntimeException failure;

  private ReleaseArchive(String folder, String sumsDigest, Supplier<Packed> packer) {
    if (!FOLDER.matcher(folder).matches()) {
      throw new IllegalArgumentException("folder must be we-VERSION: " + folder);
    }
    if (!HEX64.matcher(sumsDigest).matches()) {
      throw new IllegalArgumentException("sumsDigest must be 64 lower-case hex digits");
    }
    this.folder = folder;
    this.sumsDigest = sumsDigest;
    this.packer = packer;
  }

  /** The archive's one folder, we-VERSION. */
  String folder() {
    return folder;
  }

  /** The SHA-256 of the folder's SHA256SUMS: the build's identity. */
  String sumsDigest() {
    return sumsDigest;
  }

  /** The version the archive's folder names. */
  String version() {
    return folder.substring("we-".length());
  }

  /** The name the archive has on a server (install.sh takes only we-*.tar.gz). */
  String fileName() {
    return folder + ".tar.gz";
  }

  /**
   * The archive's file, packed on first use (only a server that needs the upload asks): a
   * server already on this build costs no packing. A failure is kept and thrown again.
   */
  synchronized Packed packed() {
    if (packed == null && failure == null) {
      try {
        packed = packer.get();
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    if (failure != null) {
      throw failure;
    }
    return packed;
  }

  /** The file, if it was packed (or given). */
  synchronized Optional<Packed> packedIfDone() {
    return Optional.ofNullable(packed);
  }

  /** Deletes the file when it was packed for this run. */
  synchronized void discard() {
    if (packed != null && packed.temporary()) {
      try {
        Files.deleteIfExists(packed.file());
      } catch (IOException e) {
        // a file in the temporary folder, left behind
      }
    }
  }

  /**
   * The archive at {@code file}, checked to be a release archive: a we-VERSION.tar.gz holding
   * one folder we-VERSION/ with SHA256SUMS and install.sh.
   */
  static ReleaseArchive of(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    if (!NAME.matcher(name).matches()) {
      throw new InvalidRequestException("--archive " + file + " is not a we release archive"
          + " (allowed: we-VERSION.tar.gz, as codeb-dist's build writes it)");
    }
    if (!Files.isRegularFile(file)) {
      throw new InvalidRequestException("--archive: no such file: " + file);
    }
    TarGz.Listing listing;
    try {
      listing = TarGz.read(file, p -> p.endsWith("/SHA256SUMS"));
    } catch (IOException e) {
      throw new InvalidRequestException("--archive " + file + " is not a readable .tar.gz ("
          + e.getMessage() + ")");
    }
    List<String> tops = listing.paths().stream().map(p -> p.split("/", 2)[0]).distinct().toList();
    if (tops.size() != 1 || !FOLDER.matcher(tops.get(0)).matches()) {
      throw new InvalidRequestException("--archive " + file + " must hold one folder we-VERSION/"
          + " (it holds " + tops + ")");
    }
    String folder = tops.get(0);
    byte[] sums = listing.kept().get(folder + "/SHA256SUMS");
    if (sums == null) {
      throw new InvalidRequestException("--archive " + file + " has no " + folder
          + "/SHA256SUMS: not a release archive");
    }
    if (!listing.paths().contains(folder + "/install.sh")) {
      throw new InvalidRequestException("--archive " + file + " has no " + folder + "/install.sh"
          + " (archives built before it shipped install.sh): build a newer one");
    }
    Packed given = new Packed(file, sha256(file), false);
    return new ReleaseArchive(folder, sha256(sums), () -> given);
  }

  /**
   * The archive of the installation {@code jar} belongs to, packed into {@code tmpDir}, or the
   * built archive of the checkout it belongs to.
   */
  static ReleaseArchive ofInstallation(Path jar, String version, Path tmpDir) {
    Path lib = jar.getParent();
    Path home = lib == null ? null : lib.getParent();
    if (home != null && lib.getFileName().toString().equals("lib")
        && Files.isRegularFile(home.resolve("SHA256SUMS"))) {
      return pack(home, version, tmpDir);
    }
    if (home != null && lib.getFileName().toString().equals("target")
        && home.getFileName().toString().equals("codeb-cli") && home.getParent() != null) {
      Path built = home.getParent().resolve("codeb-dist/target/we-" + version + ".tar.gz");
      if (Files.isRegularFile(built)) {
        return of(built);
      }
      throw new InvalidRequestException("this we runs from a checkout (" + jar + ") whose"
          + " release archive " + built + " is not built: run `mvn -pl codeb-dist -am package"
          + " -DskipTests`, or pass --archive FILE");
    }
    throw new InvalidRequestException("this we does not run from an installed release archive"
        + " (its jar is " + jar + ", with no SHA256SUMS beside lib/): pass --archive"
        + " we-VERSION.tar.gz");
  }

  /** The running CLI's jar (or classes folder). */
  static Path runningJar() {
    try {
      return Path.of(ReleaseArchive.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
    } catch (URISyntaxException | RuntimeException e) {
      throw new InvalidRequestException("cannot tell where this we is installed: pass --archive"
          + " FILE");
    }
  }

  /** The installation at {@code home}: its SHA256SUMS read now, its files packed on use. */
  private static ReleaseArchive pack(Path home, String version, Path tmpDir) {
    byte[] sums;
    try {
      sums = Files.readAllBytes(home.resolve("SHA256SUMS"));
    } catch (IOException e) {
      throw new kr.codeb.UnavailableException("cannot read " + home.resolve("SHA256SUMS") + ": "
          + e.getMessage(), e);
    }
    List<String[]> listed = new ArrayList<>();
    for (String line : new String(sums, StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      var m = SUMS_LINE.matcher(line);
      if (!m.matches() || m.group(2).startsWith("/") || m.group(2).contains("..")) {
        throw new InvalidRequestException(home.resolve("SHA256SUMS") + " has a line that is"
            + " not \"SHA256  FILE\": " + kr.codeb.Checks.quote(line));
      }
      listed.add(new String[] {m.group(1), m.group(2)});
    }
    if (listed.stream().noneMatch(l -> l[1].equals("install.sh"))) {
      throw new InvalidRequestException("the installation " + home + " has no install.sh"
          + " (built before it shipped one): pass --archive FILE of a newer build");
    }
    String folder = "we-" + version;
    if (!FOLDER.matcher(folder).matches()) {
      throw new InvalidRequestException("this we's version " + kr.codeb.Checks.quote(version)
          + " cannot name a release folder: pass --archive FILE");
    }
    return new ReleaseArchive(folder, sha256(sums), () -> packFiles(home, listed, folder,
        tmpDir));
  }

  /** Checks every listed file against its digest, then packs them and SHA256SUMS. */
  private static Packed packFiles(Path home, List<String[]> listed, String folder, Path tmpDir) {
    List<String> files = new ArrayList<>();
    for (String[] entry : listed) {
      Path file = home.resolve(entry[1]);
      if (!Files.isRegularFile(file) || !sha256(file).equals(entry[0])) {
        throw new kr.codeb.ConflictException("the installation " + home + " does not match its"
            + " SHA256SUMS (" + entry[1] + " is changed or missing): reinstall it, or pass"
            + " --archive FILE");
      }
      files.add(entry[1]);
    }
    files.add("SHA256SUMS");
    try {
      Files.createDirectories(tmpDir);
      Path archive = Files.createTempFile(tmpDir, "we-pack-", ".tar.gz");
      try (OutputStream out = Files.newOutputStream(archive)) {
        TarGz.write(home, files, folder, out);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(archive);
        throw e;
      }
      return new Packed(archive, sha256(archive), true);
    } catch (IOException e) {
      throw new kr.codeb.UnavailableException("cannot pack the installation " + home + ": "
          + e.getMessage(), e);
    }
  }

  static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[65536];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
