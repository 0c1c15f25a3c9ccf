package kr.codeb.ssh.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import kr.codeb.ssh.SshConfig;
import kr.codeb.ssh.SshConnection;
import kr.codeb.ssh.SshTarget;

/**
 * Live connections shared by key (target and configuration). Each lease is a {@link
 * ReopeningConnection}; a connection no lease has used for the idle timeout is closed by a sweep.
 */
public final class ConnectionPool implements AutoCloseable {
  private record Key(SshTarget target, SshConfig config) {}

  /** One key's connection and its leases; guarded by its own monitor. */
  private final class Slot implements ConnectionSource {
    private final Key key;
    private LiveConnection live;
    private int leases;
    private long lastUsedNanos = System.nanoTime();

    Slot(Key key) {
      this.key = key;
    }

    synchronized void lease() {
      leases++;
      lastUsedNanos = System.nanoTime();
    }

    @Override
    public synchronized LiveConnection acquire() {
      if (closed) {
        throw new IllegalStateException("the SSH pool is closed");
      }
      lastUsedNanos = System.nanoTime();
      if (live == null || !live.isAlive()) {
        if (live != null) {
          live.close();
          live = null;
        }
        live = Connector.open(key.target(), key.config());
        opened.incrementAndGet();
      }
      return live;
    }

    @Override
    public synchronized void broken(LiveConnection broken) {
      broken.close();
      if (live == broken) {
        live = null;
      }
    }

    @Override
    public synchronized void release() {
      leases--;
      lastUsedNanos = System.nanoTime();
    }

    /** Closes the connection if unused for {@code idleNanos}; true when the slot is empty. */
    synchronized boolean evictIfIdle(long idleNanos, long now) {
      if (leases == 0 && live != null && now - lastUsedNanos >= idleNanos) {
        live.close();
        live = null;
      }
      if (live != null && !live.isAlive() && leases == 0) {
        live.close();
        live = null;
      }
      return live == null && leases == 0;
    }

    synchronized void closeNow() {
      if (live != null) {
        live.close();
        live = null;
      }
    }

    synchronized boolean isOpen() {
      return live != null && live.isAlive();
    }
  }

  private final Map<Key, Slot> slots = new ConcurrentHashMap<>();
  private final long idleNanos;
  private final ScheduledFuture<?> sweeper;
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicLong opened = new java.util.concurrent.atomic.AtomicLong();

  public ConnectionPool(Duration idleTimeout) {
    this.idleNanos = idleTimeout.toNanos();
    long period = Math.max(50, Math.min(idleTimeout.toMillis() / 2, 30_000));
    this.sweeper = Threads.every(this::sweep, period);
  }

  /** A lease on the shared connection for the key, opened now if there is none. */
  public SshConnection lease(SshTarget target, SshConfig config) {
    if (closed) {
      throw new IllegalStateException("the SSH pool is closed");
    }
    Key key = new Key(target, config);
    while (true) {
      Slot slot = slots.computeIfAbsent(key, Slot::new);
      synchronized (slot) {
        if (slots.get(key) != slot) {
          continue; // swept away meanwhile
        }
        slot.lease();
      }
      ReopeningConnection lease = new ReopeningConnection(target, config, slot);
      try {
        slot.acquire();
      } catch (RuntimeException e) {
        lease.close();
        throw e;
      }
      return lease;
    }
  }

  /** How many SSH connections this pool has opened so far (reopens included). */
  public long openedConnections() {
    return opened.get();
  }

  /** How many SSH connections are open now. */
  public int openConnections() {
    int n = 0;
    for (Slot slot : slots.values()) {
      n += slot.isOpen() ? 1 : 0;
    }
    return n;
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Map.Entry<Key, Slot> e : slots.entrySet()) {
      Slot slot = e.getValue();
      synchronized (slot) {
        if (slot.evictIfIdle(idleNanos, now)) {
          slots.remove(e.getKey(), slot);
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    sweeper.cancel(false);
    for (Slot slot : slots.values()) {
      slot.closeNow();
    }
    slots.clear();
  }
}
