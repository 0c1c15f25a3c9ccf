package kr.codeb.ssot;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import kr.codeb.InputFiles;
import kr.codeb.ProviderInfo;
import kr.codeb.UnavailableException;
import kr.codeb.audit.AuditEntry;
import kr.codeb.audit.AuditLog;
import kr.codeb.audit.AuditQuery;
import kr.codeb.ssot.internal.AuditLineCodec;

/**
 * The audit log of a file SSOT: {@code <ssot file>.audit.jsonl} beside it, one JSON object per
 * line (see {@link AuditEntry}), created with mode 0600 and only ever appended to.
 *
 * <p>{@link #append} writes each batch of entries with one {@code write} on a file opened for
 * appending, so lines of processes appending at once never interleave on a local file system.
 * {@link #read} streams the file; a missing file is an empty log.
 */
public final class FileAuditLog implements AuditLog {
  private static final String PROVIDER = "file";

  private final Path file;
  private final boolean makeFolder;

  private FileAuditLog(Path file, boolean makeFolder) {
    this.file = file;
    this.makeFolder = makeFolder;
  }

  /** The log of the SSOT file {@code ssotFile}. Does no I/O. */
  public static FileAuditLog besideSsot(Path ssotFile) {
    Path ssot = Objects.requireNonNull(ssotFile, "ssotFile").toAbsolutePath().normalize();
    return new FileAuditLog(ssot.resolveSibling(ssot.getFileName() + ".audit.jsonl"), false);
  }

  /**
   * The log in the file {@code logFile} itself (its folder is made, mode 0700, on the first
   * append): the log of a CLI whose SSOT is another server's, see {@link FileAuditLogFactory}.
   * Does no I/O.
   */
  public static FileAuditLog at(Path logFile) {
    return new FileAuditLog(Objects.requireNonNull(logFile, "logFile").toAbsolutePath()
        .normalize(), true);
  }

  /** The log file's path. */
  public Path path() {
    return file;
  }

  @Override
  public ProviderInfo info() {
    return new ProviderInfo(PROVIDER, file.toString());
  }

  @Override
  public void append(AuditEntry entry) {
    appendAll(List.of(entry));
  }

  /** Appends the entries as one write (nothing when the list is empty). */
  public void appendAll(List<AuditEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    java.io.ByteArrayOutputStream lines = new java.io.ByteArrayOutputStream();
    for (AuditEntry entry : entries) {
      lines.writeBytes(AuditLineCodec.line(entry));
    }
    try {
      Path folder = file.getParent();
      if (makeFolder && folder != null && !Files.isDirectory(folder)) {
        Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------")));
      }
    } catch (IOException e) {
      throw new UnavailableException("could not make the folder of the audit log "
          + InputFiles.shown(file) + ": " + InputFiles.reason(e), PROVIDER, 0, e);
    }
    try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      ByteBuffer buffer = ByteBuffer.wrap(lines.toByteArray());
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    } catch (IOException e) {
      throw new UnavailableException("could not append to the audit log "
          + InputFiles.shown(file) + ": " + InputFiles.reason(e), PROVIDER, 0, e);
    }
  }

  @Override
  public List<AuditEntry> read(AuditQuery query) {
    Objects.requireNonNull(query, "query");
    Deque<AuditEntry> newest = new ArrayDeque<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        AuditEntry entry = AuditLineCodec.entry(line, InputFiles.shown(file) + ", line " + number);
        if (query.matches(entry)) {
          newest.addLast(entry);
          if (newest.size() > query.limit()) {
            newest.removeFirst();
          }
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UnavailableException("could not read the audit log " + InputFiles.shown(file)
          + ": " + InputFiles.reason(e), PROVIDER, 0, e);
    }
    return new ArrayList<>(newest);
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "FileAuditLog[" + file + "]";
  }
}
