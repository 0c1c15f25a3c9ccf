package kr.codeb.cli.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * The release archives' {@code .tar.gz}, through Apache Commons Compress: listing one (keeping
 * the content of the few small files asked for) and writing one from a folder's files. Reads
 * ustar, pax and GNU archives (long names included, as the system's tar and Maven's assembly
 * write them); writes ustar with pax headers for long paths. Only regular files are kept or
 * written; links and devices are listed by name and otherwise ignored.
 */
final class TarGz {
  private static final int BUFFER = 65536;
  /** The largest file whose content {@link #read} keeps (SHA256SUMS is a few hundred bytes). */
  private static final int MAX_KEPT = 1 << 20;

  private TarGz() {}

  /** What {@link #read} found: every entry's path (folders end in "/"), and the kept files. */
  record Listing(List<String> paths, Map<String, byte[]> kept) {}

  /**
   * Lists the archive at {@code file}, keeping the content of the regular files whose path
   * {@code keep} accepts (up to 1 MiB each).
   *
   * @throws IOException when it is not a gzip-compressed tar archive, or is cut short
   */
  static Listing read(Path file, Predicate<String> keep) throws IOException {
    List<String> paths = new ArrayList<>();
    Map<String, byte[]> kept = new LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new GzipCompressorInputStream(
        new BufferedInputStream(Files.newInputStream(file), BUFFER)))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        String name = e.getName();
        paths.add(name);
        // Not isFile(): it also answers true for symbolic and hard links.
        boolean regular = e.getLinkFlag() == TarConstants.LF_NORMAL
            || e.getLinkFlag() == TarConstants.LF_OLDNORM;
        if (regular && keep.test(name) && e.getSize() <= MAX_KEPT) {
          byte[] data = in.readAllBytes();
          if (data.length != e.getSize()) {
            throw new IOException("the tar archive ends inside " + name);
          }
          kept.put(name, data);
        }
      }
    } catch (IllegalArgumentException e) {
      // Commons Compress reports some malformed headers (bad numbers) this way.
      throw new IOException("not a tar archive (" + e.getMessage() + ")", e);
    }
    return new Listing(List.copyOf(paths), kept);
  }

  /**
   * Writes {@code files} (paths relative to {@code folder}, with "/") as a gzip-compressed tar
   * whose top folder is {@code top}: folders first as they are met (0755), files with mode 0755
   * when executable and 0644 otherwise, owner 0 without names, times from the files.
   *
   * @throws IOException when a file cannot be read or changes while it is archived
   */
  static void write(Path folder, List<String> files, String top, OutputStream target)
      throws IOException {
    // Neither is closed: the caller owns target. The finish() calls write the trailers,
    // the flush hands the last bytes over.
    BufferedOutputStream buffered = new BufferedOutputStream(target, BUFFER);
    GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(buffered);
    TarArchiveOutputStream out = new TarArchiveOutputStream(gzip);
    out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    out.setAddPaxHeadersForNonAsciiNames(true);
    Set<String> folders = new HashSet<>();
    FileTime now = seconds(FileTime.fromMillis(System.currentTimeMillis()));
    directory(out, top + "/", now, folders);
    for (String relative : files) {
      Path file = folder.resolve(relative);
      String[] parts = relative.split("/");
      StringBuilder parent = new StringBuilder(top + "/");
      for (int i = 0; i < parts.length - 1; i++) {
        parent.append(parts[i]).append('/');
        directory(out, parent.toString(), now, folders);
      }
      TarArchiveEntry entry = entry(top + "/" + relative,
          TarArchiveEntry.DEFAULT_FILE_MODE | (Files.isExecutable(file) ? 0111 : 0),
          seconds(Files.getLastModifiedTime(file)));
      long size = Files.size(file);
      entry.setSize(size);
      out.putArchiveEntry(entry);
      try (InputStream in = Files.newInputStream(file)) {
        long copied = in.transferTo(out);
        if (copied != size) {
          throw new IOException(file + " changed while it was archived");
        }
      }
      out.closeArchiveEntry();
    }
    out.finish();
    gzip.finish();
    buffered.flush();
  }

  private static void directory(TarArchiveOutputStream out, String path, FileTime time,
      Set<String> written) throws IOException {
    if (written.add(path)) {
      out.putArchiveEntry(entry(path, TarArchiveEntry.DEFAULT_DIR_MODE, time));
      out.closeArchiveEntry();
    }
  }

  /**
   * Whole seconds: what the ustar header holds. A finer time would add a pax header per entry.
   */
  private static FileTime seconds(FileTime time) {
    return FileTime.from(time.to(TimeUnit.SECONDS), TimeUnit.SECONDS);
  }

  /** An entry owned by 0 with empty owner names (the library's default is the local user). */
  private static TarArchiveEntry entry(String path, int mode, FileTime time) {
    TarArchiveEntry entry = new TarArchiveEntry(path);
    entry.setMode(mode);
    entry.setIds(0, 0);
    entry.setUserName("");
    entry.setGroupName("");
    entry.setLastModifiedTime(time);
    return entry;
  }
}
