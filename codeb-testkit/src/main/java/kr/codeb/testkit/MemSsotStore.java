package kr.codeb.testkit;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderInfo;
import kr.codeb.ports.CompareAndSet;
import kr.codeb.ports.Registry;
import kr.codeb.ports.RegistryEdit;
import kr.codeb.ports.Revision;
import kr.codeb.ports.SsotStore;

/**
 * An SSOT store in memory, for tests, demos and jshell. Handles created by {@link #reopen()}
 * share the same storage, as processes share a file. Revisions count writes.
 */
public final class MemSsotStore implements SsotStore {
  private final Storage storage;
  private final String name;

  private MemSsotStore(Storage storage, String name) {
    this.storage = storage;
    this.name = name;
  }

  /** A store holding {@code initial}. */
  public static MemSsotStore create(Registry initial) {
    Storage storage = new Storage();
    storage.current = initial.withRevision(storage.nextRevision());
    return new MemSsotStore(storage, "anonymous");
  }

  /** A store with nothing in it yet: {@link #read()} throws until {@link #reset} is called. */
  static MemSsotStore empty(String name) {
    return new MemSsotStore(new Storage(), name);
  }

  /** Another handle on the same storage. */
  public MemSsotStore reopen() {
    return new MemSsotStore(storage, name);
  }

  /** Replaces the content outright (tests, demos). */
  public Registry reset(Registry content) {
    synchronized (storage) {
      storage.current = content.withRevision(storage.nextRevision());
      return storage.current;
    }
  }

  @Override
  public ProviderInfo info() {
    return new ProviderInfo("mem", "mem:" + name);
  }

  @Override
  public Registry read() {
    synchronized (storage) {
      if (storage.current == null) {
        throw new NotFoundException("the in-memory registry mem:" + name + " is empty");
      }
      return storage.current;
    }
  }

  /**
   * Applies the edit by compare-and-set on the shared storage ({@link CompareAndSet}), as a
   * store shared with other processes would: handles of one storage race as processes do.
   */
  @Override
  public <T> T apply(RegistryEdit<T> edit) {
    return CompareAndSet.apply(new CompareAndSet.Storage() {
      @Override
      public Registry read() {
        return MemSsotStore.this.read();
      }

      @Override
      public Optional<Registry> storeIfUnchanged(Revision expected, Registry after) {
        synchronized (storage) {
          if (!read().revision().equals(expected)) {
            return Optional.empty();
          }
          storage.current = after.withRevision(storage.nextRevision());
          return Optional.of(storage.current);
        }
      }

      @Override
      public String location() {
        return info().location();
      }
    }, edit);
  }

  @Override
  public void close() {
    // Nothing to release: the storage lives as long as some handle refers to it.
  }

  private static final class Storage {
    private final AtomicLong writes = new AtomicLong();
    private Registry current;

    Revision nextRevision() {
      return new Revision("mem-" + writes.incrementAndGet());
    }
  }
}
