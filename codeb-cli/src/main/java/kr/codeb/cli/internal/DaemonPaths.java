package kr.codeb.cli.internal;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32C;
import kr.codeb.InputFiles;
import kr.codeb.InvalidRequestException;

/**
 * Where the daemon's socket, pid and log live: {@code CODEB_DAEMON_DIR}, else
 * {@code $XDG_RUNTIME_DIR/codeb}, else {@code ~/.cache/codeb/daemon}; a folder only its owner
 * may enter (mode 0700), because whoever can connect runs commands with the daemon's rights.
 *
 * <p>The file names carry a key of the running code (the jar's real path, size, modification
 * time and version): after a rebuild, or an upgrade to another installed version (its own
 * folder, reached through the launcher's resolved symlinks), the client looks for another
 * socket, so it never hands a line to a daemon running other code.
 */
record DaemonPaths(Path dir, String key) {
  static final String DIR_VARIABLE = "CODEB_DAEMON_DIR";
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");

  Path socket() {
    return dir.resolve("we-" + key + ".sock");
  }

  /** Held by the running daemon for its lifetime. */
  Path lock() {
    return dir.resolve("we-" + key + ".lock");
  }

  Path log() {
    return dir.resolve("we-" + key + ".log");
  }

  /** The paths for the code of this JVM, from the environment; null if there is no home. */
  static DaemonPaths of(UnaryOperator<String> env) {
    return of(env.apply(DIR_VARIABLE), env.apply("XDG_RUNTIME_DIR"), env.apply("HOME"));
  }

  /**
   * The same from the three variables' values (null when unset): the client's path, which
   * avoids a lambda (the first one a JVM links costs a cold start ~15 ms).
   */
  static DaemonPaths of(String explicit, String runtime, String home) {
    Path dir = folder(explicit, runtime, home);
    return dir == null ? null : new DaemonPaths(dir, codeKey());
  }

  private static Path folder(String explicit, String runtime, String home) {
    if (!blank(explicit)) {
      return Path.of(explicit.strip()).toAbsolutePath();
    }
    if (!blank(runtime)) {
      return Path.of(runtime.strip(), "codeb");
    }
    return blank(home) ? null : Path.of(home.strip(), ".cache", "codeb", "daemon");
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  private static String hex8(long value) {
    String hex = Long.toHexString(value);
    return "00000000".substring(hex.length()) + hex;
  }

  /**
   * A short digest of where this JVM's code comes from and which version of it that is. Cheap:
   * one stat, no reading of the jar.
   */
  static String codeKey() {
    String identity;
    try {
      Path code = Path.of(DaemonPaths.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI()).toRealPath(); // through a "current" symlink: the version's own folder
      identity = code + "|" + Files.size(code) + "|" + Files.getLastModifiedTime(code).toMillis()
          + "|" + VersionProvider.class.getPackage().getImplementationVersion();
    } catch (IOException | URISyntaxException | RuntimeException e) {
      identity = "unknown|" + VersionProvider.class.getPackage().getImplementationVersion();
    }
    CRC32C a = new CRC32C();
    a.update(identity.getBytes(StandardCharsets.UTF_8));
    CRC32C b = new CRC32C();
    b.update(new StringBuilder(identity).reverse().toString().getBytes(StandardCharsets.UTF_8));
    // Two 32-bit sums as 16 hex digits (not String.format: its parser costs a cold client ~10 ms).
    return hex8(a.getValue()) + hex8(b.getValue());
  }

  /**
   * Creates the folder (0700) if it is missing and checks that only this user can enter it.
   *
   * @throws InvalidRequestException if it is someone else's, or group or others may use it
   */
  void prepare() {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, OWNER_ONLY);
      }
    } catch (IOException e) {
      throw new InvalidRequestException("cannot create the daemon folder "
          + InputFiles.shown(dir) + ": " + InputFiles.reason(e) + " (set " + DIR_VARIABLE + " to a folder of yours)");
    }
    String problem = unsafe();
    if (problem != null) {
      throw new InvalidRequestException("refusing the daemon folder " + InputFiles.shown(dir)
          + ": " + problem
          + "; allowed: a folder owned by this user with mode 0700 (chmod 700 it, or set "
          + DIR_VARIABLE + ")");
    }
  }

  /** Why the folder may not hold the socket, or null when it is safe (owner-only, ours). */
  String unsafe() {
    try {
      PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS);
      if (!attrs.isDirectory()) {
        return "it is not a folder (or is a symbolic link)";
      }
      String me = System.getProperty("user.name");
      if (!attrs.owner().getName().equals(me)) {
        return "it belongs to " + attrs.owner().getName() + ", not " + me;
      }
      if (!OWNER_ONLY.containsAll(attrs.permissions())) {
        return "group or others may use it (mode "
            + PosixFilePermissions.toString(attrs.permissions()) + ")";
      }
      return null;
    } catch (IOException e) {
      return "cannot read its owner and mode: " + InputFiles.reason(e);
    } catch (UnsupportedOperationException e) {
      return "cannot read its owner and mode: the file system has no POSIX owners and modes";
    }
  }
}
