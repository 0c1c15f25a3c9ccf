package kr.codeb.bench;

import java.util.concurrent.atomic.LongAdder;
import kr.codeb.ConflictException;
import kr.codeb.ProviderInfo;
import kr.codeb.ports.Registry;
import kr.codeb.ports.RegistryEdit;
import kr.codeb.ports.SsotStore;

/**
 * Delegates to a store and counts reads, edits, edits that ended in a ConflictException, and
 * the time spent inside read and apply (for the file store: lock wait, or queueing and waiting
 * for an answer, plus the locked work). {@code apply} is forwarded, so a store's own way of
 * applying (FileSsotStore group-commits) is measured as it is; each call counts as one edit.
 */
final class CountingStore implements SsotStore {
  final SsotStore delegate;
  final LongAdder reads = new LongAdder();
  final LongAdder updates = new LongAdder();
  final LongAdder conflicts = new LongAdder();
  final LongAdder updateNanos = new LongAdder();
  final LongAdder readNanos = new LongAdder();

  CountingStore(SsotStore delegate) {
    this.delegate = delegate;
  }

  /** Zeroes every counter (after a warm-up). */
  void reset() {
    for (LongAdder a : new LongAdder[] {reads, updates, conflicts, updateNanos, readNanos}) {
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
  public <T> T apply(RegistryEdit<T> edit) {
    long t = System.nanoTime();
    updates.increment();
    try {
      return delegate.apply(edit);
    } catch (ConflictException e) {
      conflicts.increment();
      throw e;
    } finally {
      updateNanos.add(System.nanoTime() - t);
    }
  }

  @Override
  public void close() {
    delegate.close();
  }
}
