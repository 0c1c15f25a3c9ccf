package kr.codeb.db.internal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import kr.codeb.AuthException;
import kr.codeb.UnavailableException;
import kr.codeb.fleet.ServerLink;

/**
 * A Postgres server reached through an SSH tunnel to the storage server (pgjdbc on the
 * tunnel's local port). Statements carry generated names and passwords only ([a-z0-9_] and
 * [A-Za-z0-9]), so they need no escaping beyond the quotes written here.
 */
public final class PostgresAccess implements AutoCloseable {
  /**
   * Between two login attempts while a database starts: each attempt is one short-lived SSH
   * channel, so polling often costs little and a ready server is found within 0.1 s.
   */
  static final long POLL_MS = 100;
  private final ServerLink.Forward forward;
  private final String target;

  public PostgresAccess(ServerLink link, String host, int port) {
    this.forward = link.forward(host, port);
    this.target = host + ":" + port;
  }

  /** A connection as {@code user}; pgjdbc's SQLException on refusal. */
  public Connection connect(String user, String password, String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("connectTimeout", "10");
    p.setProperty("socketTimeout", "300");
    p.setProperty("ApplicationName", "codeb");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + forward.localPort() + "/"
        + database, p);
  }

  /**
   * Waits until the server accepts a login as the superuser (a real connection, retried while
   * the container starts and initialises its data folder).
   *
   * @throws AuthException if the server refuses the password (the data volume belongs to other
   *     credentials, or another server answers on the port)
   * @throws UnavailableException if it does not answer within {@code timeout}
   */
  public void awaitReady(String admin, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      try (Connection c = connect("postgres", admin, "postgres")) {
        return;
      } catch (SQLException e) {
        if ("28P01".equals(e.getSQLState())) {
          throw new AuthException("the Postgres superuser's stored password is refused by"
              + " the server on " + target + ": the data volume holds another server's data,"
              + " or another Postgres answers on that port");
        }
        last = e;
      }
      sleep(POLL_MS);
    }
    throw new UnavailableException("Postgres did not accept connections within "
        + timeout.toSeconds() + " s" + (last == null ? "" : " (" + last.getMessage() + ")"));
  }

  /** Whether {@code user} can log in to {@code database} with {@code password}. */
  public boolean canLogin(String user, String password, String database) {
    try (Connection c = connect(user, password, database)) {
      return true;
    } catch (SQLException e) {
      if ("28P01".equals(e.getSQLState()) || "28000".equals(e.getSQLState())) {
        return false;
      }
      throw new UnavailableException("logging in to Postgres failed: " + e.getMessage(), e);
    }
  }

  /**
   * Makes the user (with the password) and the database it owns exist, others barred from it;
   * returns what it changed.
   */
  public List<String> ensureDatabase(String admin, String user, String password) {
    List<String> changes = new ArrayList<>();
    try (Connection c = connect("postgres", admin, "postgres"); Statement s = c.createStatement()) {
      if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", user)) {
        s.execute("CREATE ROLE \"" + user + "\" LOGIN PASSWORD '" + password + "'");
        changes.add("created user " + user);
      }
      if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", user)) {
        createDatabase(s, user);
        changes.add("created database " + user);
      }
    } catch (SQLException e) {
      throw new UnavailableException("creating the Postgres user and database failed: "
          + e.getMessage(), e);
    }
    if (!canLogin(user, password, user)) {
      setPassword(admin, user, password);
      changes.add("reset the password of " + user);
    }
    return changes;
  }

  /** Sets {@code user}'s password. */
  public void setPassword(String admin, String user, String password) {
    try (Connection c = connect("postgres", admin, "postgres"); Statement s = c.createStatement()) {
      s.execute("ALTER ROLE \"" + user + "\" PASSWORD '" + password + "'");
    } catch (SQLException e) {
      throw new UnavailableException("changing the Postgres password failed: " + e.getMessage(),
          e);
    }
  }

  /** Drops the database (closing its sessions) and creates it empty, owned by the user. */
  public void recreateDatabase(String admin, String user) {
    try (Connection c = connect("postgres", admin, "postgres"); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS \"" + user + "\" WITH (FORCE)");
      createDatabase(s, user);
    } catch (SQLException e) {
      throw new UnavailableException("recreating the Postgres database failed: "
          + e.getMessage(), e);
    }
  }

  private static void createDatabase(Statement s, String user) throws SQLException {
    s.execute("CREATE DATABASE \"" + user + "\" OWNER \"" + user + "\"");
    // Only its owner (and the superuser) may connect; nobody may use the maintenance databases.
    s.execute("REVOKE ALL ON DATABASE \"" + user + "\" FROM PUBLIC");
    s.execute("REVOKE CONNECT ON DATABASE postgres FROM PUBLIC");
    s.execute("REVOKE CONNECT ON DATABASE template1 FROM PUBLIC");
  }

  private static boolean exists(Connection c, String sql, String value) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      p.setString(1, value);
      try (ResultSet r = p.executeQuery()) {
        return r.next();
      }
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while waiting for the database", e);
    }
  }

  @Override
  public void close() {
    forward.close();
  }
}
