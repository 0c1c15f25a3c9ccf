package kr.codeb.db.internal;

import java.time.Duration;
import kr.codeb.AuthException;
import kr.codeb.UnavailableException;
import kr.codeb.fleet.ServerLink;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/** A Redis server reached through an SSH tunnel to the storage server (Jedis). */
public final class RedisAccess implements AutoCloseable {
  private final ServerLink.Forward forward;

  public RedisAccess(ServerLink link, String host, int port) {
    this.forward = link.forward(host, port);
  }

  /** A client logged in with {@code password}; the caller closes it. */
  public Jedis connect(String password) {
    Jedis jedis = new Jedis("127.0.0.1", forward.localPort(), 10_000);
    try {
      jedis.auth(password);
      return jedis;
    } catch (RuntimeException e) {
      jedis.close();
      throw e;
    }
  }

  /**
   * Waits until Redis answers {@code PING} after {@code AUTH} with the password (a real
   * connection, retried while the container starts and loads its data).
   *
   * @throws AuthException if the password is refused
   * @throws UnavailableException if it does not answer within {@code timeout}
   */
  public void awaitReady(String password, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try (Jedis jedis = connect(password)) {
        if ("PONG".equals(jedis.ping())) {
          return;
        }
      } catch (JedisAccessControlException e) {
        throw new AuthException("Redis refused the stored password");
      } catch (JedisDataException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("WRONGPASS")) {
          throw new AuthException("Redis refused the stored password");
        }
        last = e; // LOADING: still reading its data
      } catch (JedisException e) {
        last = e;
      }
      PostgresAccess.sleep(PostgresAccess.POLL_MS);
    }
    throw new UnavailableException("Redis did not answer within " + timeout.toSeconds() + " s"
        + (last == null ? "" : " (" + last.getMessage() + ")"));
  }

  /** Writes the snapshot ({@code SAVE}) so that the RDB file holds everything. */
  public void save(String password) {
    try (Jedis jedis = connect(password)) {
      jedis.save();
    } catch (JedisException e) {
      throw new UnavailableException("Redis SAVE failed: " + e.getMessage(), e);
    }
  }

  /** Turns the append-only file on at run time (it is rewritten from memory). */
  public void appendOnly(String password) {
    try (Jedis jedis = connect(password)) {
      jedis.configSet("appendonly", "yes");
    } catch (JedisException e) {
      throw new UnavailableException("Redis CONFIG SET appendonly failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    forward.close();
  }
}
