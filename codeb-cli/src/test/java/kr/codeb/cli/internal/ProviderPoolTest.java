package kr.codeb.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The daemon's idle providers: lent to one command at a time, keyed, bounded, closed. */
class ProviderPoolTest {

  private static final class Client implements AutoCloseable {
    boolean closed;

    @Override
    public void close() {
      closed = true;
    }
  }

  private final ProviderPool pool = new ProviderPool();

  private ProviderPool.Lease<Client> lease(Map<String, String> env, String uri) {
    return pool.scope(env).lease("runtime", uri, Client.class, Client::new);
  }

  @Test
  void aGivenBackInstanceIsLentAgainForTheSameUriAndEnvironment() throws Exception {
    ProviderPool.Lease<Client> first = lease(Map.of("A", "1"), "docker://");
    Client c = first.get();
    first.close();
    first.close(); // twice is once
    assertEquals(1, pool.idleCount());
    try (ProviderPool.Lease<Client> again = lease(Map.of("A", "1"), "docker://")) {
      assertSame(c, again.get());
      assertFalse(c.closed);
    }
  }

  @Test
  void anInstanceInUseIsNeverLentTwice() throws Exception {
    try (ProviderPool.Lease<Client> a = lease(Map.of(), "docker://");
        ProviderPool.Lease<Client> b = lease(Map.of(), "docker://")) {
      assertNotSame(a.get(), b.get());
    }
    assertEquals(2, pool.idleCount());
  }

  @Test
  void anotherEnvironmentOrUriGetsItsOwnInstanceButShellBookkeepingDoesNotCount()
      throws Exception {
    Client c;
    try (ProviderPool.Lease<Client> a = lease(Map.of("KEY", "one", "PWD", "/a"), "docker://")) {
      c = a.get();
    }
    try (ProviderPool.Lease<Client> b = lease(Map.of("KEY", "two", "PWD", "/a"), "docker://")) {
      assertNotSame(c, b.get());
    }
    try (ProviderPool.Lease<Client> b = lease(Map.of("KEY", "one", "PWD", "/a"), "podman://")) {
      assertNotSame(c, b.get());
    }
    try (ProviderPool.Lease<Client> b = lease(Map.of("KEY", "one", "PWD", "/b", "SHLVL", "3"),
        "docker://")) {
      assertSame(c, b.get());
    }
  }

  @Test
  void theLeastRecentlyUsedInstancesAreClosedBeyondTheLimit() throws Exception {
    Client oldest = null;
    for (int i = 0; i <= ProviderPool.MAX_IDLE; i++) {
      try (ProviderPool.Lease<Client> l = lease(Map.of(), "uri-" + i)) {
        if (i == 0) {
          oldest = l.get();
        }
      }
    }
    assertEquals(ProviderPool.MAX_IDLE, pool.idleCount());
    assertTrue(oldest.closed, "the oldest idle instance was closed");
  }

  @Test
  void closingThePoolClosesTheIdleAndEveryInstanceGivenBackLater() throws Exception {
    ProviderPool.Lease<Client> idle = lease(Map.of(), "a");
    Client idleClient = idle.get();
    idle.close();
    ProviderPool.Lease<Client> busy = lease(Map.of(), "b");
    pool.close();
    assertTrue(idleClient.closed);
    assertFalse(busy.get().closed, "a lent instance is its command's until given back");
    busy.close();
    assertTrue(busy.get().closed);
    assertEquals(0, pool.idleCount());
  }

  @Test
  void anInstanceIdleLongerThanTheLimitIsClosedAndDropped() throws Exception {
    ProviderPool.Lease<Client> old = lease(Map.of(), "a");
    Client oldClient = old.get();
    old.close();
    Thread.sleep(60);
    ProviderPool.Lease<Client> fresh = lease(Map.of(), "b");
    Client freshClient = fresh.get();
    fresh.close();
    assertEquals(1, pool.evictIdle(java.time.Duration.ofMillis(50)));
    assertTrue(oldClient.closed);
    assertFalse(freshClient.closed);
    assertEquals(1, pool.idleCount());
    try (ProviderPool.Lease<Client> again = lease(Map.of(), "a")) {
      assertNotSame(oldClient, again.get(), "an evicted instance is never lent again");
    }
  }

  @Test
  void thePoolKeepsADigestOfTheEnvironmentNeverItsValues() throws Exception {
    String secret = "pdns-key-5b1f0c9e";
    try (ProviderPool.Lease<Client> l = lease(Map.of("CODEB_POWERDNS_API_KEY", secret), "a")) {
      l.get();
    }
    String digest = ProviderPool.digest(Map.of("CODEB_POWERDNS_API_KEY", secret));
    assertEquals(64, digest.length());
    assertFalse(digest.contains(secret));
    // Reflection over the pool's idle map: no String reachable from it holds the value.
    java.lang.reflect.Field f = ProviderPool.class.getDeclaredField("idle");
    f.setAccessible(true);
    Object idle = f.get(pool);
    for (Object key : ((Map<?, ?>) idle).keySet()) {
      for (java.lang.reflect.RecordComponent c : key.getClass().getRecordComponents()) {
        Object value = c.getAccessor().invoke(key);
        assertFalse(String.valueOf(value).contains(secret), c.getName() + " = " + value);
        assertFalse(value instanceof Map, "the key holds no map of variables: " + c.getName());
      }
    }
  }
}
