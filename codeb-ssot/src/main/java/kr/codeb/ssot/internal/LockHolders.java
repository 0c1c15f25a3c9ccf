package kr.codeb.ssot.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Who holds a lock file, for a message: the process {@code /proc/locks} names for the file's
 * inode (Linux only; elsewhere, or when the file system does not say, nothing). Only the pid
 * and the program's short name ({@code /proc/PID/comm}) are told, never its command line,
 * which may carry secrets.
 */
final class LockHolders {
  private static final Path LOCKS = Path.of("/proc/locks");

  private LockHolders() {}

  /** {@code process 1234 (java)}, or empty when it cannot be told. */
  static Optional<String> of(Path lockFile) {
    try {
      if (!Files.isReadable(LOCKS)) {
        return Optional.empty();
      }
      Object ino = Files.getAttribute(lockFile, "unix:ino");
      return holder(Files.readAllLines(LOCKS, StandardCharsets.US_ASCII), ino.toString())
          .map(pid -> "process " + pid + name(pid).map(n -> " (" + n + ")").orElse("")
              + (pid == ProcessHandle.current().pid() ? ", this process" : ""));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return Optional.empty(); // the holder is a detail of the message: without it, no name
    }
  }

  /**
   * The pid of the first granted lock on the inode in {@code /proc/locks}' lines
   * ({@code 1: POSIX  ADVISORY  WRITE 1234 fd:01:5678 0 EOF}; waiters' lines have {@code ->}).
   */
  static Optional<Long> holder(List<String> lines, String inode) {
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 6 || f[1].equals("->")) {
        continue;
      }
      String[] device = f[5].split(":");
      if (device.length == 3 && device[2].equals(inode)) {
        try {
          long pid = Long.parseLong(f[4]);
          return pid > 0 ? Optional.of(pid) : Optional.empty();
        } catch (NumberFormatException e) {
          return Optional.empty(); // not the format this reads: no holder to tell
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> name(long pid) {
    try {
      return Optional.of(Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip())
          .filter(n -> !n.isEmpty());
    } catch (IOException e) {
      return Optional.empty(); // gone meanwhile, or not allowed: the pid alone
    }
  }
}
