package kr.codeb.podman.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The hard resource limits of this process, read from {@code /proc/self/limits} (what
 * {@code ulimit -Hn} and {@code ulimit -Hu} print), and the container limits CodeB derives from
 * them.
 *
 * @param nofile the hard limit of open files, if known
 * @param nproc the hard limit of processes, if known
 */
public record HostLimits(OptionalLong nofile, OptionalLong nproc) {
  /** The most open files a container gets by default, even on a host that allows more. */
  public static final long NOFILE_CAP = 65_536;
  /** The most processes a container gets by default (a web app needs far fewer). */
  public static final long NPROC_CAP = 4_096;
  /** What a container gets when even the derived limits fail (checked to work everywhere). */
  public static final long FALLBACK = 1_024;

  /** This process's limits; empty values when /proc is not there (not Linux). */
  public static HostLimits ofThisProcess() {
    return read(Path.of("/proc/self/limits"));
  }

  static HostLimits read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return new HostLimits(OptionalLong.empty(), OptionalLong.empty());
    }
  }

  /** Parses the text of a {@code /proc/<pid>/limits} file. */
  public static HostLimits parse(String text) {
    OptionalLong nofile = OptionalLong.empty();
    OptionalLong nproc = OptionalLong.empty();
    for (String line : text.split("\n")) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("max open files")) {
        nofile = hard(line.substring("max open files".length()));
      } else if (lower.startsWith("max processes")) {
        nproc = hard(line.substring("max processes".length()));
      }
    }
    return new HostLimits(nofile, nproc);
  }

  /** The columns after the name are: soft, hard, units. */
  private static OptionalLong hard(String columns) {
    String[] parts = columns.strip().split("\\s+");
    if (parts.length < 2) {
      return OptionalLong.empty();
    }
    if (parts[1].equalsIgnoreCase("unlimited")) {
      return OptionalLong.of(Long.MAX_VALUE);
    }
    try {
      return OptionalLong.of(Long.parseLong(parts[1]));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The open-files limit for containers: the hard limit, at most {@link #NOFILE_CAP}. */
  public long containerNofile() {
    return Math.min(nofile.orElse(FALLBACK), NOFILE_CAP);
  }

  /** The process limit for containers: the hard limit, at most {@link #NPROC_CAP}. */
  public long containerNproc() {
    return Math.min(nproc.orElse(FALLBACK), NPROC_CAP);
  }
}
