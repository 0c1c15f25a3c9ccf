package kr.codeb.cli.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The daemon's idle provider instances (SSOT store, container runtime, reverse proxy), kept
 * between commands so a command finds its clients built and their connections open, as a
 * library caller that keeps its {@code Deployments} does.
 *
 * <p>An instance is lent to one command at a time (the SPIs do not all promise thread safety),
 * and only to a command with the same URI and the same environment (the variables a provider
 * reads, such as credentials, are part of the key; shell bookkeeping such as {@code PWD} is
 * not). A command that finds none idle opens a new one. At most {@link #MAX_IDLE} instances
 * stay idle; the oldest are closed first. {@link #close()} closes every idle one, and an
 * instance given back after that is closed at once.
 */
final class ProviderPool implements AutoCloseable {
  static final int MAX_IDLE = 8;
  /** Variables the shell changes between commands that no provider reads. */
  private static final Set<String> SHELL_BOOKKEEPING = Set.of("PWD", "OLDPWD", "_", "SHLVL",
      "COLUMNS", "LINES");

  private record Key(String kind, String uri, Map<String, String> env) {
    /** Never the environment's values: they may hold secrets. */
    @Override
    public String toString() {
      return kind + " " + uri;
    }
  }

  private final LinkedHashMap<Key, Deque<AutoCloseable>> idle = new LinkedHashMap<>();
  private int idleCount;
  private boolean closed;

  /** The pool as seen by a command run with {@code env}. */
  Scope scope(Map<String, String> env) {
    Map<String, String> relevant = new TreeMap<>(env);
    relevant.keySet().removeAll(SHELL_BOOKKEEPING);
    return new Scope(this, Map.copyOf(relevant));
  }

  /** One command's view: leases keyed by its environment. */
  static final class Scope {
    private final ProviderPool pool;
    private final Map<String, String> env;

    private Scope(ProviderPool pool, Map<String, String> env) {
      this.pool = pool;
      this.env = env;
    }

    /**
     * An idle instance for {@code kind} and {@code uri}, or a new one from {@code open}; the
     * lease's {@code close} gives it back.
     */
    <T extends AutoCloseable> Lease<T> lease(String kind, String uri, Class<T> type,
        Supplier<T> open) {
      Key key = new Key(kind, uri, env);
      AutoCloseable found = pool.take(key);
      T instance = found != null ? type.cast(found) : open.get();
      return new Lease<>(pool, key, instance);
    }
  }

  /** A lent instance; closing the lease gives the instance back to the pool. */
  static final class Lease<T extends AutoCloseable> implements AutoCloseable {
    private final ProviderPool pool;
    private final Key key;
    private final T instance;
    private boolean returned;

    private Lease(ProviderPool pool, Key key, T instance) {
      this.pool = pool;
      this.key = key;
      this.instance = instance;
    }

    T get() {
      return instance;
    }

    @Override
    public void close() throws Exception {
      if (!returned) {
        returned = true;
        pool.giveBack(key, instance);
      }
    }
  }

  private synchronized AutoCloseable take(Key key) {
    Deque<AutoCloseable> instances = idle.get(key);
    if (instances == null || instances.isEmpty()) {
      return null;
    }
    idleCount--;
    AutoCloseable instance = instances.pop();
    if (instances.isEmpty()) {
      idle.remove(key);
    }
    return instance;
  }

  private void giveBack(Key key, AutoCloseable instance) throws Exception {
    AutoCloseable evicted;
    synchronized (this) {
      if (closed) {
        evicted = instance;
      } else {
        // Re-inserted at the end: the map's order is least recently used first.
        Deque<AutoCloseable> instances = idle.remove(key);
        instances = instances == null ? new ArrayDeque<>() : instances;
        instances.push(instance);
        idle.put(key, instances);
        idleCount++;
        evicted = idleCount > MAX_IDLE ? evictOldest() : null;
      }
    }
    if (evicted != null) {
      evicted.close();
    }
  }

  private AutoCloseable evictOldest() {
    Iterator<Map.Entry<Key, Deque<AutoCloseable>>> it = idle.entrySet().iterator();
    Map.Entry<Key, Deque<AutoCloseable>> oldest = it.next();
    AutoCloseable instance = oldest.getValue().removeLast();
    if (oldest.getValue().isEmpty()) {
      it.remove();
    }
    idleCount--;
    return instance;
  }

  /** How many instances are idle now. */
  synchronized int idleCount() {
    return idleCount;
  }

  @Override
  public void close() {
    Deque<AutoCloseable> all = new ArrayDeque<>();
    synchronized (this) {
      closed = true;
      idle.values().forEach(all::addAll);
      idle.clear();
      idleCount = 0;
    }
    for (AutoCloseable instance : all) {
      try {
        instance.close();
      } catch (Exception e) {
        // Shutting down: a client that fails to close holds nothing the process keeps.
      }
    }
  }
}
