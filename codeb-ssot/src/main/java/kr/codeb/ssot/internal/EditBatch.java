package kr.codeb.ssot.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import kr.codeb.CodeBException;
import kr.codeb.UnavailableException;
import kr.codeb.ports.Registry;
import kr.codeb.ports.RegistryEdit;

/**
 * Edits applied one after the other to one registry, as a group commit writes them: each edit
 * sees the registry the previous ones left, and an edit that throws is that edit's answer, not
 * the batch's failure (it changes nothing, the others go on). Pure: no I/O.
 */
public final class EditBatch {
  private EditBatch() {}

  /** One edit's result: its outcome, or the exception it failed with. */
  public record Result(RegistryEdit<?> edit, Object outcome, RuntimeException failure) {
    public boolean failed() {
      return failure != null;
    }

    /**
     * The failure as another process can rethrow it: a {@link CodeBException} as it is, any
     * other exception (a bug, not an answer an edit gives) as an {@link UnavailableException}.
     */
    public CodeBException failureToAnswer() {
      return failure instanceof CodeBException c ? c : new UnavailableException("applying "
          + edit + " failed in process " + ProcessHandle.current().pid() + ": " + failure,
          failure);
    }
  }

  /** The registry after every edit, and each edit's result in the order given. */
  public record Applied(Registry after, List<Result> results) {}

  public static Applied apply(Registry before, List<? extends RegistryEdit<?>> edits) {
    Registry current = Objects.requireNonNull(before, "before");
    List<Result> results = new ArrayList<>(edits.size());
    for (RegistryEdit<?> edit : edits) {
      try {
        RegistryEdit.Applied<?> applied = edit.apply(current);
        current = applied.registry();
        results.add(new Result(edit, applied.outcome(), null));
      } catch (RuntimeException refused) {
        results.add(new Result(edit, null, refused));
      }
    }
    return new Applied(current, results);
  }
}
