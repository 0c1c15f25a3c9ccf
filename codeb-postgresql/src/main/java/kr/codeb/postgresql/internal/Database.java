package kr.codeb.postgresql.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.NotFoundException;
import kr.codeb.UnavailableException;

/**
 * One connection to the database, opened on first use, used by one caller at a time, checked
 * against the schema version once per connection (see {@link Schema}), and opened again after
 * it broke. {@link #transaction} runs a body in a real transaction (committed when it returns,
 * rolled back when it throws).
 */
public final class Database implements AutoCloseable {
  private static final String PROVIDER = ConnectionSettings.SCHEME;

  private final ConnectionSettings settings;
  private final ReentrantLock lock = new ReentrantLock();
  private Connection connection;
  private boolean closed;

  public Database(ConnectionSettings settings) {
    this.settings = settings;
  }

  public ConnectionSettings settings() {
    return settings;
  }

  /** What runs with the connection; may throw SQLException, translated by {@link #failure}. */
  @FunctionalInterface
  public interface Body<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Runs {@code body} in one transaction. */
  public <T> T transaction(Body<T> body) {
    return withConnection(c -> {
      c.setAutoCommit(false);
      try {
        T result = body.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      } finally {
        if (!c.isClosed()) {
          c.setAutoCommit(true);
        }
      }
    });
  }

  /** Runs {@code body} with the connection in auto-commit mode (one statement, one snapshot). */
  public <T> T withConnection(Body<T> body) {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the postgresql store " + settings.display()
            + " is closed");
      }
      Connection c = open();
      try {
        return body.run(c);
      } catch (SQLException e) {
        if (isConnectionLost(e)) {
          closeQuietly();
        }
        throw failure(e);
      }
    } finally {
      lock.unlock();
    }
  }

  private Connection open() {
    if (connection != null) {
      return connection;
    }
    Connection c;
    try {
      c = settings.connect();
    } catch (SQLException e) {
      throw failure(e);
    }
    try {
      Schema.ensure(c, settings);
    } catch (SQLException e) {
      closeQuietly(c);
      throw failure(e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
    connection = c;
    return c;
  }

  /**
   * An SQL failure as CodeB's exception: a refused login, a missing database, a lost
   * connection, a violated constraint. pgjdbc's messages name the server, the user, the
   * database or a constraint; they never hold the password.
   */
  public CodeBException failure(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String where = "PostgreSQL at " + settings.display();
    String reason = e.getMessage() == null ? state : e.getMessage();
    // 08004 without a password: the server asked for one and pgjdbc had none to give.
    if (state.startsWith("28") || (state.equals("08004") && !settings.hasPassword())) {
      return new AuthException(where + " refused the login of user " + settings.user() + " ("
          + reason + ")" + (settings.hasPassword() ? ""
              : "; no password was given: set CODEB_POSTGRESQL_PASSWORD or PGPASSWORD"),
          PROVIDER, 0, e);
    }
    if (state.equals("3D000")) {
      return new NotFoundException(where + ": database " + settings.database()
          + " does not exist (create it, or name an existing one)", PROVIDER, 0, e);
    }
    if (state.equals("23505") || state.equals("40001") || state.equals("40P01")) {
      return new ConflictException(where + ": " + reason, PROVIDER, 0, e);
    }
    return new UnavailableException(where + ": " + reason, PROVIDER, 0, e);
  }

  private static boolean isConnectionLost(SQLException e) {
    String state = e.getSQLState();
    return state == null || state.startsWith("08") || state.startsWith("57P");
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is gone; the server rolls the transaction back itself
    }
  }

  private void closeQuietly() {
    closeQuietly(connection);
    connection = null;
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // nothing left to release
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      closeQuietly();
    } finally {
      lock.unlock();
    }
  }
}
