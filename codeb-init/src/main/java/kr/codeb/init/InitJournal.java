package kr.codeb.init;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.UnavailableException;
import kr.codeb.deploy.DeployKey;
import kr.codeb.init.internal.AtomicFiles;
import kr.codeb.init.internal.JournalCodec;

/**
 * Where {@code init} records, per project and environment, each step it completed and what it
 * created: {@code <folder>/init/<project>-<env>.json} (JSON, written atomically through a
 * temporary file, fsync and rename, mode 0600). {@code destroy} undoes only what is recorded
 * here. The journal is history, not truth: every run plans each step from the real systems.
 */
public final class InitJournal {
  /** The largest journal read: 1 MiB. */
  public static final long MAX_BYTES = 1 << 20;

  private final Path folder;

  private InitJournal(Path folder) {
    this.folder = Objects.requireNonNull(folder, "folder");
  }

  /** Journals in {@code folder/init/} (the SSOT file's folder, like the release history). */
  public static InitJournal inFolder(Path folder) {
    return new InitJournal(folder.resolve("init"));
  }

  /** The journal file of a project and environment. */
  public Path file(DeployKey key) {
    return folder.resolve(key.project().value() + "-" + key.environment().name() + ".json");
  }

  /** The recorded journal, or empty when there is none. */
  public Optional<Journal> read(DeployKey key) {
    Path file = file(key);
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidRequestException("the init journal " + file + " is not a regular file");
    }
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new InvalidRequestException("the init journal " + file + " is over "
            + MAX_BYTES + " bytes");
      }
      return Optional.of(JournalCodec.decode(Files.readAllBytes(file), file.toString()));
    } catch (IOException e) {
      throw new UnavailableException("cannot read the init journal " + file + ": "
          + e.getMessage(), e);
    }
  }

  /** Replaces the journal, atomically. */
  public void write(DeployKey key, Journal journal) {
    AtomicFiles.write(file(key), JournalCodec.encode(journal));
  }

  /** Removes the journal; idempotent. */
  public boolean delete(DeployKey key) {
    try {
      return Files.deleteIfExists(file(key));
    } catch (IOException e) {
      throw new UnavailableException("cannot remove the init journal " + file(key) + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * One step as recorded: {@code status} is {@code started} (its apply began; {@code created}
   * holds what it was about to make), {@code done}, {@code failed} or {@code differs}.
   */
  public record StepRecord(String step, String status, Instant at, List<String> created,
      Optional<String> detail) {
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public static final String DIFFERS = "differs";
    public static final String STARTED = "started";

    public StepRecord {
      Objects.requireNonNull(step, "step");
      if (!List.of(STARTED, DONE, FAILED, DIFFERS).contains(status)) {
        throw new InvalidRequestException("unknown journal status " + status
            + ": started, done, failed or differs");
      }
      Objects.requireNonNull(at, "at");
      created = List.copyOf(created);
      Objects.requireNonNull(detail, "detail");
    }

    public boolean done() {
      return status.equals(DONE);
    }
  }

  /** A project's journal: the request's domain and one record per step run so far. */
  public record Journal(String project, String environment, String domain,
      List<StepRecord> steps) {
    public Journal {
      Objects.requireNonNull(project, "project");
      Objects.requireNonNull(environment, "environment");
      Objects.requireNonNull(domain, "domain");
      steps = List.copyOf(steps);
    }

    public static Journal empty(InitRequest r) {
      return new Journal(r.project().value(), r.environment().name(), r.domain(), List.of());
    }

    public Optional<StepRecord> step(String id) {
      return steps.stream().filter(s -> s.step().equals(id)).findFirst();
    }

    /** What a step created, over all runs. */
    public List<String> created(String id) {
      return step(id).map(StepRecord::created).orElse(List.of());
    }

    /**
     * The journal with {@code record} for its step; the step's earlier {@code created} items
     * are kept (a step redone after its thing vanished still owns it).
     */
    public Journal with(StepRecord record) {
      LinkedHashSet<String> created = new LinkedHashSet<>(created(record.step()));
      created.addAll(record.created());
      StepRecord merged = new StepRecord(record.step(), record.status(), record.at(),
          List.copyOf(created), record.detail());
      List<StepRecord> next = new ArrayList<>();
      boolean replaced = false;
      for (StepRecord s : steps) {
        if (s.step().equals(record.step())) {
          next.add(merged);
          replaced = true;
        } else {
          next.add(s);
        }
      }
      if (!replaced) {
        next.add(merged);
      }
      return new Journal(project, environment, domain, next);
    }

    /** The journal with the step's created items replaced by {@code remaining}. */
    public Journal withCreated(String id, List<String> remaining) {
      List<StepRecord> next = new ArrayList<>();
      for (StepRecord s : steps) {
        next.add(s.step().equals(id) ? new StepRecord(s.step(), s.status(), s.at(), remaining,
            s.detail()) : s);
      }
      return new Journal(project, environment, domain, next);
    }
  }
}
