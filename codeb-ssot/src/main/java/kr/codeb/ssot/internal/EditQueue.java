package kr.codeb.ssot.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import kr.codeb.InvalidRequestException;
import kr.codeb.ports.RegistryEdit;

/**
 * The group commit's queue beside an SSOT file: the folder {@code <name>.queue} holding
 * {@code <id>.req} (an edit a process waits to have applied) and {@code <id>.done} (its answer),
 * written as JSON by {@link EditCodec}. Every file is written to a temporary name
 * ({@code .<id>.req.tmp-...}) and renamed, so a reader never sees half of one; nothing is forced
 * to disk (a lost request is applied by its requester, a lost answer makes the requester apply
 * its edit again, which is idempotent).
 *
 * <p>The folder and its files get the SSOT file's permissions (the folder adds search
 * permission where the file has read or write), never wider: whoever may write the SSOT may
 * combine the others' edits. Nothing secret is in them: project, environment, ports.
 *
 * <p>{@link #post} and {@link #withdraw} run without the SSOT's lock, {@link #takeAnswer} with it
 * held shared or exclusively (only the requester takes its own answer), the rest with it held
 * exclusively (by the combiner).
 */
public final class EditQueue {
  /** Answers nobody collected and requests nobody waits for any more are removed after this. */
  static final Duration ORPHAN_AGE = Duration.ofMinutes(10);
  private static final String REQUEST = ".req";
  private static final String ANSWER = ".done";
  private static final int ID_LENGTH = 32;

  private final Path ssot;
  private final Path dir;

  private EditQueue(Path ssot) {
    this.ssot = ssot;
    this.dir = ssot.resolveSibling(ssot.getFileName() + ".queue");
  }

  /** The queue of the (canonical) SSOT file {@code ssot}; does no I/O. */
  public static EditQueue beside(Path ssot) {
    return new EditQueue(ssot);
  }

  /** The queue folder. */
  public Path dir() {
    return dir;
  }

  /** A posted request: its id and file. */
  public record Ticket(String id, Path request) {}

  /** A request of another process, read from the queue. */
  public record Pending(String id, Path file, long postedMicros, RegistryEdit<?> edit) {}

  /**
   * Posts the edit as a request, creating the folder when absent.
   *
   * @throws IOException if the folder or the file cannot be written, or the request would be
   *     larger than a reader accepts (the caller then applies its edit itself)
   */
  public Ticket post(RegistryEdit<?> edit) throws IOException {
    Set<PosixFilePermission> perms = AtomicFiles.permissions(ssot);
    ensureDir(perms);
    String id = newId();
    Path request = dir.resolve(id + REQUEST);
    byte[] bytes = EditCodec.request(id, nowMicros(), edit);
    if (bytes.length > EditCodec.MAX_BYTES) {
      throw new IOException("the request is too large to queue (" + bytes.length + " bytes)");
    }
    AtomicFiles.replaceQuickly(request, bytes, perms);
    return new Ticket(id, request);
  }

  /** Removes this process's own request (it applies the edit itself, or gave up). */
  public void withdraw(Ticket ticket) {
    AtomicFiles.deleteQuietly(ticket.request());
  }

  /**
   * The answer another process left for {@code ticket}, taken out of the queue; empty if there
   * is none, or if it cannot be read (the caller then applies its edit itself: idempotent).
   */
  public Optional<EditCodec.Answer> takeAnswer(Ticket ticket, RegistryEdit<?> edit) {
    Path file = dir.resolve(ticket.id() + ANSWER);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException none) {
      return Optional.empty();
    } catch (IOException unreadable) {
      AtomicFiles.deleteQuietly(file);
      return Optional.empty();
    }
    AtomicFiles.deleteQuietly(file);
    try {
      return Optional.of(EditCodec.readAnswer(ticket.id(), edit, bytes));
    } catch (InvalidRequestException unreadable) {
      return Optional.empty();
    }
  }

  /**
   * The requests waiting, oldest first. On the way it refuses what it cannot apply: a request
   * file it cannot decode is answered with an {@link InvalidRequestException} naming the file
   * and the problem, and removed. Answers nobody collected, requests nobody waits for and
   * temporary files older than {@link #ORPHAN_AGE} are removed. Other files are left alone:
   * they are not this queue's.
   */
  public List<Pending> pending() {
    List<Pending> pending = new ArrayList<>();
    long orphanBefore = System.currentTimeMillis() - ORPHAN_AGE.toMillis();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        String id = idOf(name, REQUEST);
        if (id != null) {
          read(id, file, orphanBefore).ifPresent(pending::add);
        } else if (idOf(name, ANSWER) != null
            || (name.startsWith(".") && name.contains(".tmp-"))) {
          removeIfOlder(file, orphanBefore);
        }
      }
    } catch (NoSuchFileException noQueueYet) {
      return List.of();
    } catch (IOException e) {
      // An unreadable queue only means nothing is combined: each requester applies its own.
      return List.of();
    }
    pending.sort(Comparator.comparingLong(Pending::postedMicros).thenComparing(Pending::id));
    return pending;
  }

  /** Removes a request that is being applied. */
  public void remove(Pending request) {
    AtomicFiles.deleteQuietly(request.file());
  }

  /**
   * Leaves an answer for the request {@code id}. A failure is ignored: without an answer the
   * requester applies its edit again itself, which is idempotent.
   */
  public void answer(String id, byte[] answer) {
    try {
      AtomicFiles.replaceQuickly(dir.resolve(id + ANSWER), answer, AtomicFiles.permissions(ssot));
    } catch (IOException | RuntimeException e) {
      AtomicFiles.deleteQuietly(dir.resolve(id + ANSWER));
    }
  }

  private Optional<Pending> read(String id, Path file, long orphanBefore) {
    byte[] bytes;
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS);
      if (!attributes.isRegularFile()) {
        return Optional.empty(); // not a request this queue wrote; not ours to remove either
      }
      if (attributes.lastModifiedTime().toMillis() < orphanBefore) {
        // Its requester is gone (a live one applies its edit itself, request file or not):
        // applying it now would allocate ports for nobody.
        AtomicFiles.deleteQuietly(file);
        return Optional.empty();
      }
      bytes = attributes.size() > EditCodec.MAX_BYTES ? null : Files.readAllBytes(file);
    } catch (IOException e) {
      return Optional.empty(); // withdrawn meanwhile, or unreadable: its requester applies it
    }
    try {
      if (bytes == null) {
        throw new InvalidRequestException("larger than the " + EditCodec.MAX_BYTES
            + " bytes a request may have");
      }
      EditCodec.Request r = EditCodec.readRequest(id, bytes);
      return Optional.of(new Pending(id, file, r.postedMicros(), r.edit()));
    } catch (InvalidRequestException bad) {
      answer(id, EditCodec.failure(id, new InvalidRequestException("the queued request " + file
          + " is malformed, so it was not applied: " + bad.getMessage(), "file", 0, null)));
      AtomicFiles.deleteQuietly(file);
      return Optional.empty();
    }
  }

  private static void removeIfOlder(Path file, long before) {
    try {
      if (Files.getLastModifiedTime(file).toMillis() < before) {
        AtomicFiles.deleteQuietly(file);
      }
    } catch (IOException ignored) {
      // Gone already.
    }
  }

  /** The id of a {@code <32 hex digits><suffix>} name, or null for any other name. */
  static String idOf(String name, String suffix) {
    if (name.length() != ID_LENGTH + suffix.length() || !name.endsWith(suffix)) {
      return null;
    }
    for (int i = 0; i < ID_LENGTH; i++) {
      char c = name.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return null;
      }
    }
    return name.substring(0, ID_LENGTH);
  }

  /** Unique across the processes of a machine (pid, clock) and unlikely to repeat anyway. */
  private static String newId() {
    long pid = ProcessHandle.current().pid() & 0xffffffffL;
    return String.format("%08x%016x%08x", pid, System.nanoTime(),
        ThreadLocalRandom.current().nextInt());
  }

  private static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  private void ensureDir(Set<PosixFilePermission> filePerms) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Set<PosixFilePermission> perms = filePerms == null ? null : dirPermissions(filePerms);
    try {
      if (perms == null) {
        Files.createDirectory(dir);
      } else {
        // Created no wider than asked (the umask can only narrow it), then set exactly.
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(perms));
        Files.setPosixFilePermissions(dir, perms);
      }
    } catch (FileAlreadyExistsException createdByAnother) {
      // Another process was first; its folder has the same permissions.
    }
  }

  /** The file's permissions plus search permission for whoever may read or write it. */
  static Set<PosixFilePermission> dirPermissions(Set<PosixFilePermission> file) {
    Set<PosixFilePermission> dir = EnumSet.noneOf(PosixFilePermission.class);
    dir.addAll(file);
    if (file.contains(PosixFilePermission.OWNER_READ)
        || file.contains(PosixFilePermission.OWNER_WRITE)) {
      dir.add(PosixFilePermission.OWNER_EXECUTE);
    }
    if (file.contains(PosixFilePermission.GROUP_READ)
        || file.contains(PosixFilePermission.GROUP_WRITE)) {
      dir.add(PosixFilePermission.GROUP_EXECUTE);
    }
    if (file.contains(PosixFilePermission.OTHERS_READ)
        || file.contains(PosixFilePermission.OTHERS_WRITE)) {
      dir.add(PosixFilePermission.OTHERS_EXECUTE);
    }
    return dir;
  }
}
