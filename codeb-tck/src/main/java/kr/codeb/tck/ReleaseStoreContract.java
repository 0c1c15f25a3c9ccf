package kr.codeb.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployLock;
import kr.codeb.deploy.EnvSource;
import kr.codeb.deploy.ReleaseOutcome;
import kr.codeb.deploy.ReleaseRecord;
import kr.codeb.deploy.ReleaseStore;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.model.Slot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every {@link ReleaseStore} must do: exclusive locks and an append-only history. */
public abstract class ReleaseStoreContract {
  private static final DeployKey ACME = new DeployKey(ProjectName.of("acme"), Fixtures.PRODUCTION);
  private final List<ReleaseStore> opened = new ArrayList<>();

  /** A new, empty store. */
  protected abstract ReleaseStore newStore();

  /** A second handle on the same storage (another process, for a file store). */
  protected abstract ReleaseStore reopen(ReleaseStore store);

  private ReleaseStore store() {
    ReleaseStore s = newStore();
    opened.add(s);
    return s;
  }

  private ReleaseStore again(ReleaseStore store) {
    ReleaseStore s = reopen(store);
    opened.add(s);
    return s;
  }

  @AfterEach
  final void closeStores() {
    opened.forEach(ReleaseStore::close);
  }

  @Test
  public final void aHeldLockIsNotGrantedAgainUntilReleased() {
    ReleaseStore store = store();
    DeployLock lock = store.tryLock(ACME, "ci@app1", Duration.ofMinutes(5)).orElseThrow();
    assertEquals("ci@app1", lock.holder());
    assertTrue(store.tryLock(ACME, "kim@laptop", Duration.ofMinutes(5)).isEmpty());
    assertTrue(again(store).tryLock(ACME, "kim@laptop", Duration.ofMinutes(5)).isEmpty());
    assertEquals(Optional.of("ci@app1"), again(store).currentLock(ACME).map(DeployLock::holder));
    assertTrue(store.unlock(lock));
    assertFalse(store.unlock(lock), "unlock is for the holder, once");
    assertTrue(store.currentLock(ACME).isEmpty());
    assertTrue(store.tryLock(ACME, "kim@laptop", Duration.ofMinutes(5)).isPresent());
  }

  @Test
  public final void locksOfOtherProjectsAreIndependent() {
    ReleaseStore store = store();
    DeployKey other = new DeployKey(ProjectName.of("acme"), Environment.of("staging"));
    assertTrue(store.tryLock(ACME, "a", Duration.ofMinutes(1)).isPresent());
    assertTrue(store.tryLock(other, "b", Duration.ofMinutes(1)).isPresent());
  }

  @Test
  public final void anExpiredLockStaysUntilBrokenExplicitly() throws Exception {
    ReleaseStore store = store();
    DeployLock lock = store.tryLock(ACME, "dead-ci", Duration.ofMillis(1)).orElseThrow();
    Thread.sleep(20);
    assertTrue(store.currentLock(ACME).orElseThrow().isExpired(Instant.now()));
    assertTrue(store.tryLock(ACME, "next", Duration.ofMinutes(1)).isEmpty());
    assertTrue(again(store).breakLock(ACME));
    assertFalse(store.breakLock(ACME));
    assertFalse(store.unlock(lock), "a broken lock is not the holder's any more");
    assertTrue(store.tryLock(ACME, "next", Duration.ofMinutes(1)).isPresent());
  }

  @Test
  public final void ofManyContendersExactlyOneGetsTheLock() throws Exception {
    ReleaseStore store = store();
    int contenders = 8;
    ExecutorService pool = Executors.newFixedThreadPool(contenders);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Boolean>> got = new ArrayList<>();
      for (int i = 0; i < contenders; i++) {
        ReleaseStore handle = again(store);
        String holder = "ci-" + i;
        got.add(pool.submit(() -> {
          go.await();
          return handle.tryLock(ACME, holder, Duration.ofMinutes(1)).isPresent();
        }));
      }
      go.countDown();
      int winners = 0;
      for (Future<Boolean> f : got) {
        winners += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertEquals(1, winners);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  public final void historyIsAppendOnlyAndOrdered() {
    ReleaseStore store = store();
    ReleaseRecord first = record("v1", ReleaseOutcome.DEPLOYED, "");
    ReleaseRecord second = record("v2", ReleaseOutcome.FAILED, "health check timed out");
    store.append(first);
    again(store).append(second);
    assertEquals(List.of(first, second), store.history(ACME));
    assertEquals(List.of(), store.history(new DeployKey(ProjectName.of("other"),
        Fixtures.PRODUCTION)));
  }

  private static ReleaseRecord record(String tag, ReleaseOutcome outcome, String message) {
    return new ReleaseRecord(Instant.now().truncatedTo(ChronoUnit.MILLIS), ACME,
        "20261126T010203Z-" + tag, "ci@app1", "ghcr.io/acme/web:" + tag, Slot.GREEN, 4105, 8080,
        "/health", new EnvSource(Optional.of("/srv/acme/prod.env"), List.of("TOKEN")),
        EnvSource.hashOf(Map.of("TOKEN", "x", "DB", "y")), outcome, message);
  }
}
