package kr.codeb.ssot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import kr.codeb.UnavailableException;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployLock;
import kr.codeb.deploy.ReleaseRecord;
import kr.codeb.deploy.ReleaseStore;
import kr.codeb.ssot.internal.FileMutex;
import kr.codeb.ssot.internal.ReleaseCodec;

/**
 * Deploy locks and release history in files, beside the SSOT file: {@code locks/<project>-<env>.json}
 * and {@code releases/<project>-<env>.jsonl} (one JSON object per line, append-only). All
 * changes happen under a lock file, so processes sharing the folder (CI runners on one server)
 * see one consistent state.
 */
public final class FileReleaseStore implements ReleaseStore {
  private final Path locks;
  private final Path releases;

  private FileReleaseStore(Path folder) {
    this.locks = folder.resolve("locks");
    this.releases = folder.resolve("releases");
  }

  /** The store in {@code folder} (for a file SSOT: the folder that holds ssot.json). */
  public static FileReleaseStore open(Path folder) {
    return new FileReleaseStore(folder.toAbsolutePath().normalize());
  }

  /** The store beside an SSOT file. */
  public static FileReleaseStore besideSsot(Path ssotFile) {
    Path parent = ssotFile.toAbsolutePath().normalize().getParent();
    return open(parent);
  }

  @Override
  public Optional<DeployLock> tryLock(DeployKey key, String holder, Duration ttl) {
    return inLocks(() -> {
      if (read(lockFile(key)).isPresent()) {
        return Optional.empty();
      }
      Instant now = Instant.now();
      DeployLock lock = new DeployLock(key, holder, UUID.randomUUID().toString(), now,
          now.plus(ttl));
      writeAtomically(lockFile(key), ReleaseCodec.lock(lock));
      return Optional.of(lock);
    });
  }

  @Override
  public Optional<DeployLock> currentLock(DeployKey key) {
    return read(lockFile(key)).map(json -> ReleaseCodec.lock(json, lockFile(key).toString()));
  }

  @Override
  public boolean unlock(DeployLock lock) {
    return inLocks(() -> {
      Optional<DeployLock> current = currentLock(lock.key());
      if (current.isEmpty() || !current.get().token().equals(lock.token())) {
        return false;
      }
      return delete(lockFile(lock.key()));
    });
  }

  @Override
  public boolean breakLock(DeployKey key) {
    return inLocks(() -> delete(lockFile(key)));
  }

  @Override
  public void append(ReleaseRecord record) {
    Path file = historyFile(record.key());
    FileMutex.with(releases.resolve(".lock"), () -> {
      try {
        Files.write(file, (ReleaseCodec.line(record) + "\n").getBytes(StandardCharsets.UTF_8),
            StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE,
            StandardOpenOption.SYNC);
        return null;
      } catch (IOException e) {
        throw unavailable("append to " + file, e);
      }
    });
  }

  @Override
  public List<ReleaseRecord> history(DeployKey key) {
    Path file = historyFile(key);
    List<ReleaseRecord> records = new ArrayList<>();
    Optional<String> text = read(file);
    if (text.isEmpty()) {
      return records;
    }
    String[] lines = text.get().split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].isBlank()) {
        records.add(ReleaseCodec.record(lines[i], file + ":" + (i + 1)));
      }
    }
    return records;
  }

  @Override
  public void close() {
    // Files are opened per call.
  }

  private <T> T inLocks(java.util.function.Supplier<T> body) {
    mkdirs(locks);
    return FileMutex.with(locks.resolve(".lock"), body);
  }

  private Path lockFile(DeployKey key) {
    return locks.resolve(key.id() + ".json");
  }

  private Path historyFile(DeployKey key) {
    mkdirs(releases);
    return releases.resolve(key.id() + ".jsonl");
  }

  private static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw unavailable("read " + file, e);
    }
  }

  private static boolean delete(Path file) {
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      throw unavailable("delete " + file, e);
    }
  }

  private static void writeAtomically(Path file, String content) {
    Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE, StandardOpenOption.SYNC);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw unavailable("write " + file, e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // Only a leftover temp file; the lock itself is consistent.
      }
    }
  }

  private static void mkdirs(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw unavailable("create " + dir, e);
    }
  }

  private static UnavailableException unavailable(String what, IOException e) {
    return new UnavailableException("cannot " + what + ": " + e.getMessage(), "file", 0, e);
  }
}
