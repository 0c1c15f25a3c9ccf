package kr.codeb.cli.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
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
 * not). The key holds a SHA-256 digest of the environment, never its values: the pool outlives
 * every line, and a line's keys and tokens must not. A command that finds none idle opens a
 * new one. At most {@link #MAX_IDLE} instances stay idle; the oldest are closed first. An
 * instance holds the credentials it was built with (that is what makes it reusable), so one
 * left unused for {@link #IDLE_LIMIT} is closed by {@link #evictIdle} and dropped.
 * {@link #close()} closes every idle one, and an instance given back after that is closed at
 * once.
 */
final class ProviderPool implements AutoCloseable {
  static final int MAX_IDLE = 8;
  /** How long an instance may stay idle before it is closed (the daemon's default). */
  static final Duration IDLE_LIMIT = Duration.ofSeconds(60);
  /** Variables the shell changes between commands that no provider reads. */
  private static final Set<String> SHELL_BOOKKEEPING = Set.of("PWD", "OLDPWD", "_", "SHLVL",
      "COLUMNS", "LINES");

  /** {@code envDigest}: SHA-256 of the relevant environment, so no value is kept. */
  private record Key(String kind, String uri, String envDigest) {
    @Override
    public String toString() {
      return kind + " " + uri;
    }
  }

  /** An idle instance and since when ({@link System#nanoTime()}). */
  private record Idle(AutoCloseable instance, long sinceNanos) {}

  private final LinkedHashMap<Key, Deque<Idle>> idle = new LinkedHashMap<>();
  private int idleCount;
  private boolean closed;

  /** The pool as seen by a command run with {@code env}. */
  Scope scope(Map<String, String> env) {
    return new Scope(this, digest(env));
  }

  /** SHA-256 over the sorted variables (name, value), without the shell's bookkeeping. */
  static String digest(Map<String, String> env) {
    Map<String, String> relevant = new TreeMap<>(env);
    relevant.keySet().removeAll(SHELL_BOOKKEEPING);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      relevant.forEach((name, value) -> {
        sha.update(name.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      });
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** One command's view: leases keyed by its environment's digest. */
  static final class Scope {
    private final ProviderPool pool;
    private final String envDigest;

    private Scope(ProviderPool pool, String envDigest) {
      this.pool = pool;
      this.envDigest = envDigest;
    }

    /**
     * An idle instance for {@code kind} and {@code uri}, or a new one from {@code open}; the
     * lease's {@code close} gives it back.
     */
    <T extends AutoCloseable> Lease<T> lease(String kind, String uri, Class<T> type,
        Supplier<T> open) {
      Key key = new Key(kind, uri, envDigest);
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
    Deque<Idle> instances = idle.get(key);
    if (instances == null || instances.isEmpty()) {
      return null;
    }
    idleCount--;
    AutoCloseable instance = instances.pop().instance();
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
        Deque<Idle> instances = idle.remove(key);
        instances = instances == null ? new ArrayDeque<>() : instances;
        instances.push(new Idle(instance, System.nanoTime()));
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
    Iterator<Map.Entry<Key, Deque<Idle>>> it = idle.entrySet().iterator();
    Map.Entry<Key, Deque<Idle>> oldest = it.next();
    AutoCloseable instance = oldest.getValue().removeLast().instance();
    if (oldest.getValue().isEmpty()) {
      it.remove();
    }
    idleCount--;
    return instance;
  }

  /**
   * Closes and drops every instance idle for longer than {@code limit}; the daemon calls this
   * every second. Returns how many were closed.
   */
  int evictIdle(Duration limit) {
    long now = System.nanoTime();
    List<AutoCloseable> expired = new ArrayList<>();
    synchronized (this) {
      for (Iterator<Deque<Idle>> it = idle.values().iterator(); it.hasNext(); ) {
        Deque<Idle> instances = it.next();
        // Newest first (push): the expired ones are at the end.
        while (!instances.isEmpty() && now - instances.peekLast().sinceNanos() > limit.toNanos()) {
          expired.add(instances.removeLast().instance());
          idleCount--;
        }
        if (instances.isEmpty()) {
          it.remove();
        }
      }
    }
    expired.forEach(ProviderPool::closeQuietly);
    return expired.size();
  }

  /** How many instances are idle now. */
  synchronized int idleCount() {
    return idleCount;
  }

  @Override
  public void close() {
    List<AutoCloseable> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      idle.values().forEach(d -> d.forEach(i -> all.add(i.instance())));
      idle.clear();
      idleCount = 0;
    }
    all.forEach(ProviderPool::closeQuietly);
  }

  private static void closeQuietly(AutoCloseable instance) {
    try {
      instance.close();
    } catch (Exception e) {
      // Dropped either way: a client that fails to close holds nothing the pool keeps.
    }
  }
}
