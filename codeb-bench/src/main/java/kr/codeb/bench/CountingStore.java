package kr.codeb.bench;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import kr.codeb.ConflictException;
import kr.codeb.ProviderInfo;
import kr.codeb.ports.Registry;
import kr.codeb.ports.RegistryEdit;
import kr.codeb.ports.Revision;
import kr.codeb.ports.SsotStore;

/**
 * Delegates to a store and counts reads, updates, lost races (ConflictException from update)
 * and the time spent inside update/modify/apply (lock wait + locked work). {@code modify} and
 * {@code apply} are forwarded, so a store that overrides them (FileSsotStore applies a modify
 * under its file lock and group-commits an apply) is measured as it is; each call counts as one
 * attempt. An apply has no change lambda, so it adds nothing to the before/after-change times.
 */
final class CountingStore implements SsotStore {
  final SsotStore delegate;
  final LongAdder reads = new LongAdder();
  final LongAdder updates = new LongAdder();
  final LongAdder conflicts = new LongAdder();
  final LongAdder updateNanos = new LongAdder();
  final LongAdder readNanos = new LongAdder();
  /** modify: from the call to the change running (lock wait + read + decode). */
  final LongAdder beforeChangeNanos = new LongAdder();
  /** modify: from the change returning to modify returning (encode + write + fsync + unlock). */
  final LongAdder afterChangeNanos = new LongAdder();

  CountingStore(SsotStore delegate) {
    this.delegate = delegate;
  }

  /** Zeroes every counter (after a warm-up). */
  void reset() {
    for (LongAdder a : new LongAdder[] {reads, updates, conflicts, updateNanos, readNanos,
        beforeChangeNanos, afterChangeNanos}) {
      a.reset();
    }
  }

  @Override
  public ProviderInfo info() {
    return delegate.info();
  }

  @Override
  public Registry read() {
    long t = System.nanoTime();
    try {
      return delegate.read();
    } finally {
      reads.increment();
      readNanos.add(System.nanoTime() - t);
    }
  }

  @Override
  public Registry update(Revision expected, UnaryOperator<Registry> change) {
    long t = System.nanoTime();
    updates.increment();
    try {
      return delegate.update(expected, change);
    } catch (ConflictException e) {
      conflicts.increment();
      throw e;
    } finally {
      updateNanos.add(System.nanoTime() - t);
    }
  }

  @Override
  public Registry modify(UnaryOperator<Registry> change) {
    long t = System.nanoTime();
    updates.increment();
    long[] changed = new long[2];
    try {
      return delegate.modify(r -> {
        changed[0] = System.nanoTime();
        Registry out = change.apply(r);
        changed[1] = System.nanoTime();
        return out;
      });
    } finally {
      long end = System.nanoTime();
      updateNanos.add(end - t);
      if (changed[0] != 0) {
        beforeChangeNanos.add(changed[0] - t);
        afterChangeNanos.add(end - changed[1]);
      }
    }
  }

  @Override
  public <T> T apply(RegistryEdit<T> edit) {
    long t = System.nanoTime();
    updates.increment();
    try {
      return delegate.apply(edit);
    } finally {
      updateNanos.add(System.nanoTime() - t);
    }
  }

  @Override
  public void close() {
    delegate.close();
  }
}
