package kr.codeb.init;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kr.codeb.audit.AuditContext;
import kr.codeb.init.InitJournal.Journal;
import kr.codeb.init.InitJournal.StepRecord;
import kr.codeb.init.internal.Failures;

/**
 * A project's setup as ordered steps, each planned from the real systems and applied in turn,
 * with a journal of what each step created.
 *
 * <p>{@link #apply}: every step is planned again from the systems (the journal is never
 * trusted over them); a step whose things exist as wanted is {@code unchanged} (made by an
 * earlier run, or by hand and adopted), one that finds something different is {@code differs}
 * and left alone, the others are applied. When step k fails, steps 1..k-1 stay done, the
 * journal records the failure, and the exception, of the same kind as the cause, names the
 * step, why, and that running the same call again resumes at step k. A run after a complete
 * one writes nothing, not even the journal.
 *
 * <p>{@link #destroy} undoes, in reverse order, only what the journal says init created.
 */
public final class InitPlan {
  private final InitRequest request;
  private final List<InitStep> steps;
  private final InitJournal journal;

  private InitPlan(InitRequest request, List<InitStep> steps, InitJournal journal) {
    this.request = Objects.requireNonNull(request, "request");
    this.steps = List.copyOf(steps);
    this.journal = Objects.requireNonNull(journal, "journal");
  }

  /** The plan over {@code steps} (usually {@link InitSteps#standard}). */
  public static InitPlan of(InitRequest request, List<InitStep> steps, InitJournal journal) {
    return new InitPlan(request, steps, journal);
  }

  public InitRequest request() {
    return request;
  }

  public List<InitStep> steps() {
    return steps;
  }

  /** Where this project's journal is. */
  public java.nio.file.Path journalFile() {
    return journal.file(request.key());
  }

  /**
   * Every step's plan, read from the systems now. Writes nothing. The steps are planned at the
   * same time (a plan only reads, and each step reads its own systems), so this takes as long
   * as the slowest step rather than the sum of all. When some fail, the first failing step in
   * order is reported, as if they had been planned one after another, and the others' plans
   * still running are interrupted.
   */
  public List<StepPlan> plan() {
    ExecutorService planners = Executors.newFixedThreadPool(Math.max(1, steps.size()), r -> {
      Thread t = new Thread(r, "codeb-init-plan");
      t.setDaemon(true);
      return t;
    });
    try {
      // the caller's audit context goes with the work (a daemon acts for several callers)
      AuditContext caller = AuditContext.current();
      List<Future<StepPlan>> futures = new ArrayList<>();
      for (InitStep step : steps) {
        futures.add(planners.submit(() -> AuditContext.callAs(caller, step::plan)));
      }
      List<StepPlan> plans = new ArrayList<>();
      for (int i = 0; i < steps.size(); i++) {
        plans.add(planned(i, futures.get(i)));
      }
      return plans;
    } finally {
      planners.shutdownNow();
    }
  }

  private StepPlan planned(int i, Future<StepPlan> future) {
    InitStep step = steps.get(i);
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new kr.codeb.UnavailableException("planning init step " + (i + 1) + " ("
          + step.id() + ") was interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw Failures.retold(r, "init step " + (i + 1) + "/" + steps.size() + " ("
            + step.id() + ": " + step.title() + ") could not be planned: " + Failures.why(r));
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * Applies every step in order; see the class comment. Holds the project's lock throughout:
   * a second run of the same project and environment meanwhile fails at once with a
   * {@link kr.codeb.ConflictException} naming the holder, and writes nothing.
   */
  public InitResult apply(InitProgress progress) {
    Objects.requireNonNull(progress, "progress");
    InitJournal.Held lock = journal.lock(request.key());
    try {
      InitResult result = applyLocked(progress);
      lock.close();
      return result;
    } catch (kr.codeb.InvalidRequestException e) {
      lock.undoIfNew(); // bad input leaves nothing behind, not even the lock file
      throw e;
    } catch (RuntimeException | Error e) {
      lock.close();
      throw e;
    }
  }

  private InitResult applyLocked(InitProgress progress) {
    Journal j = journal.read(request.key()).orElse(Journal.empty(request));
    List<String> notes = new ArrayList<>();
    resumeNote(j).ifPresent(notes::add);
    List<StepResult> results = new ArrayList<>();
    int n = steps.size();
    for (int i = 0; i < n; i++) {
      InitStep step = steps.get(i);
      Optional<StepRecord> before = j.step(step.id());
      StepResult result;
      try {
        StepPlan plan = step.plan();
        boolean interrupted = before.isPresent() && (before.get().status()
            .equals(StepRecord.STARTED) || before.get().status().equals(StepRecord.FAILED));
        if (plan.action() == StepAction.UNCHANGED && interrupted
            && step.reappliesAfterInterruption()) {
          notes.add("the last run stopped in step " + step.id() + ": applied again to finish"
              + " what it may have left undone");
          plan = new StepPlan(plan.step(), plan.title(), StepAction.UPDATE, plan.details(),
              plan.reason());
        }
        progress.started(i + 1, n, plan);
        switch (plan.action()) {
          case UNCHANGED -> {
            result = StepResult.unchanged(plan);
            if (before.isEmpty() || !before.get().done()) {
              j = record(j, step, StepRecord.DONE, List.of(), Optional.empty());
            }
          }
          case DIFFERS -> {
            result = new StepResult(plan.step(), plan.title(), StepAction.DIFFERS,
                plan.details(), List.of(), plan.reason());
            if (before.isEmpty() || !before.get().status().equals(StepRecord.DIFFERS)
                || !before.get().detail().equals(plan.reason())) {
              j = record(j, step, StepRecord.DIFFERS, List.of(), plan.reason());
            }
          }
          default -> {
            if (before.isPresent() && before.get().done()) {
              notes.add("the journal says step " + step.id() + " was done, but the systems"
                  + " disagree (" + String.join("; ", plan.details()) + "): redone");
            }
            j = record(j, step, StepRecord.STARTED, step.intended(plan), Optional.empty());
            result = step.apply(plan);
            j = record(j, step, StepRecord.DONE, result.created(), Optional.empty());
          }
        }
      } catch (RuntimeException e) {
        String why = Failures.why(e);
        if (!(e instanceof kr.codeb.InvalidRequestException)) {
          // Bad input writes nothing, not even the journal.
          try {
            record(j, step, StepRecord.FAILED, List.of(), Optional.of(why));
          } catch (RuntimeException journalFailure) {
            e.addSuppressed(journalFailure);
          }
        }
        throw Failures.retold(e, "init step " + (i + 1) + "/" + n + " (" + step.id() + ": "
            + step.title() + ") failed: " + why + "; " + (i == 0 ? "nothing before it was done"
            : i == 1 ? "step 1 is done" : "steps 1-" + i + " are done") + " (journal " + journalFile() + "); run the same"
            + " command again to resume at step " + (i + 1));
      }
      results.add(result);
      progress.finished(i + 1, n, result);
    }
    return new InitResult(results, notes);
  }

  /** What {@link #destroy} would remove, per step in reverse order, read from the systems now. */
  public List<StepPlan> destroyPlan(boolean deleteData) {
    Optional<Journal> j = journal.read(request.key());
    List<StepPlan> plans = new ArrayList<>();
    for (int i = steps.size() - 1; i >= 0; i--) {
      InitStep step = steps.get(i);
      List<String> created = j.map(x -> x.created(step.id())).orElse(List.of());
      List<String> lines = created.isEmpty() ? List.of() : step.undoPlan(created, deleteData);
      plans.add(new StepPlan(step.id(), step.title(), lines.isEmpty() ? StepAction.UNCHANGED
          : StepAction.DELETE, lines.isEmpty() ? List.of(created.isEmpty()
              ? "nothing created by init" : "nothing left to remove") : lines, Optional.empty()));
    }
    return plans;
  }

  /**
   * Undoes, in reverse order, what the journal says init created, and only that; data only
   * with {@code deleteData}. The journal is updated after each step (a failed destroy resumes)
   * and removed once nothing it records is left.
   */
  public InitResult destroy(boolean deleteData, InitProgress progress) {
    Optional<Journal> found = journal.read(request.key());
    if (found.isEmpty()) {
      return new InitResult(List.of(), List.of("no init journal for " + request.key()
          + " (" + journalFile() + "): nothing init created is recorded, nothing removed"));
    }
    try (InitJournal.Held lock = journal.lock(request.key())) {
      return destroyLocked(deleteData, progress);
    }
  }

  private InitResult destroyLocked(boolean deleteData, InitProgress progress) {
    Optional<Journal> again = journal.read(request.key());
    if (again.isEmpty()) {
      return new InitResult(List.of(), List.of("no init journal for " + request.key()
          + ": another destroy removed it meanwhile; nothing removed"));
    }
    Journal j = again.get();
    List<StepResult> results = new ArrayList<>();
    int n = steps.size();
    for (int k = 0; k < n; k++) {
      InitStep step = steps.get(n - 1 - k);
      List<String> created = j.created(step.id());
      StepPlan plan = new StepPlan(step.id(), step.title(), created.isEmpty()
          ? StepAction.UNCHANGED : StepAction.DELETE, created, Optional.empty());
      progress.started(k + 1, n, plan);
      List<String> removed;
      try {
        removed = created.isEmpty() ? List.of() : step.undo(created, deleteData);
      } catch (RuntimeException e) {
        throw Failures.retold(e, "destroy step " + (k + 1) + "/" + n + " (" + step.id() + ": "
            + step.title() + ") failed: " + Failures.why(e) + "; run the same command again to"
            + " resume");
      }
      if (!created.isEmpty()) {
        j = j.withCreated(step.id(), step.kept(created, deleteData));
        journal.write(request.key(), j);
      }
      StepResult r = new StepResult(step.id(), step.title(), removed.isEmpty()
          ? StepAction.UNCHANGED : StepAction.DELETE, removed.isEmpty()
              ? List.of("nothing to remove") : removed, List.of(), Optional.empty());
      results.add(r);
      progress.finished(k + 1, n, r);
    }
    List<String> notes = new ArrayList<>();
    if (j.steps().stream().allMatch(s -> s.created().isEmpty())) {
      journal.delete(request.key());
    } else {
      notes.add("kept (pass --delete-data to remove): " + String.join(", ", j.steps().stream()
          .flatMap(s -> s.created().stream()).toList()));
    }
    return new InitResult(results, notes);
  }

  private Journal record(Journal j, InitStep step, String status, List<String> created,
      Optional<String> detail) {
    Journal next = j.with(new StepRecord(step.id(), status, Instant.now(), created, detail));
    journal.write(request.key(), next);
    return next;
  }

  private Optional<String> resumeNote(Journal j) {
    Optional<StepRecord> failed = j.steps().stream()
        .filter(s -> s.status().equals(StepRecord.FAILED)
            || s.status().equals(StepRecord.STARTED)).findFirst();
    return failed.map(f -> "resuming: the last run " + (f.status().equals(StepRecord.FAILED)
        ? "failed at step " + f.step() + " (" + f.detail().orElse("") + ")"
        : "stopped during step " + f.step()));
  }
}
