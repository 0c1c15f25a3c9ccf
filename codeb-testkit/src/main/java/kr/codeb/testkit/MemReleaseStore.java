package kr.codeb.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployLock;
import kr.codeb.deploy.ReleaseRecord;
import kr.codeb.deploy.ReleaseStore;

/** Deploy locks and release history in memory, for tests and demos. */
public final class MemReleaseStore implements ReleaseStore {
  private final Map<DeployKey, DeployLock> locks = new HashMap<>();
  private final Map<DeployKey, List<ReleaseRecord>> history = new HashMap<>();

  @Override
  public synchronized Optional<DeployLock> tryLock(DeployKey key, String holder, Duration ttl) {
    if (locks.containsKey(key)) {
      return Optional.empty();
    }
    Instant now = Instant.now();
    DeployLock lock = new DeployLock(key, holder, UUID.randomUUID().toString(), now, now.plus(ttl));
    locks.put(key, lock);
    return Optional.of(lock);
  }

  @Override
  public synchronized Optional<DeployLock> currentLock(DeployKey key) {
    return Optional.ofNullable(locks.get(key));
  }

  @Override
  public synchronized boolean unlock(DeployLock lock) {
    DeployLock current = locks.get(lock.key());
    if (current == null || !current.token().equals(lock.token())) {
      return false;
    }
    locks.remove(lock.key());
    return true;
  }

  @Override
  public synchronized boolean breakLock(DeployKey key) {
    return locks.remove(key) != null;
  }

  @Override
  public synchronized void append(ReleaseRecord record) {
    history.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record);
  }

  @Override
  public synchronized List<ReleaseRecord> history(DeployKey key) {
    return List.copyOf(history.getOrDefault(key, List.of()));
  }

  @Override
  public void close() {
    // Nothing to release.
  }
}
