package kr.codeb.postgresql.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import kr.codeb.AuthException;
import kr.codeb.CodeBException;
import kr.codeb.ConflictException;
import kr.codeb.NotFoundException;
import kr.codeb.UnavailableException;

/**
 * A small pool of connections to the database, kept for the life of the store: a connection is
 * opened when a caller finds none idle (at most {@link #MAX_CONNECTIONS}; beyond that callers
 * wait for one), checked against the schema version once when opened (see {@link Schema}),
 * and dropped when it broke. {@link #transaction} runs a body in a real transaction (committed
 * when it returns, rolled back when it throws), {@link #snapshot} in a read-only one that sees
 * one snapshot, {@link #withConnection} in auto-commit mode.
 */
public final class Database implements AutoCloseable {
  private static final String PROVIDER = ConnectionSettings.SCHEME;
  /** Connections one store keeps at most: threads of one process beyond that take turns. */
  static final int MAX_CONNECTIONS = 4;

  private final ConnectionSettings settings;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition returned = lock.newCondition();
  private final Deque<Connection> idle = new ArrayDeque<>();
  private int open;
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
    return inTransaction(null, body);
  }

  /** Runs {@code body} in one read-only transaction that sees one snapshot throughout. */
  public <T> T snapshot(Body<T> body) {
    return inTransaction("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", body);
  }

  private <T> T inTransaction(String first, Body<T> body) {
    return withConnection(c -> {
      c.setAutoCommit(false);
      try {
        if (first != null) {
          try (Statement st = c.createStatement()) {
            st.execute(first);
          }
        }
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

  /** Runs {@code body} with a connection in auto-commit mode (one statement, one snapshot). */
  public <T> T withConnection(Body<T> body) {
    Connection c = borrow();
    boolean broken = false;
    try {
      return body.run(c);
    } catch (SQLException e) {
      broken = isConnectionLost(e);
      throw failure(e);
    } finally {
      giveBack(c, broken);
    }
  }

  private Connection borrow() {
    lock.lock();
    try {
      while (true) {
        if (closed) {
          throw new IllegalStateException("the postgresql store " + settings.display()
              + " is closed");
        }
        Connection c = idle.pollFirst();
        if (c != null) {
          return c;
        }
        if (open < MAX_CONNECTIONS) {
          open++;
          break;
        }
        returned.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
    try {
      return connect();
    } catch (RuntimeException e) {
      lock.lock();
      try {
        open--;
        returned.signal();
      } finally {
        lock.unlock();
      }
      throw e;
    }
  }

  private void giveBack(Connection c, boolean broken) {
    lock.lock();
    try {
      if (broken || closed) {
        open--;
        closeQuietly(c);
      } else {
        idle.addFirst(c);
      }
      returned.signal();
    } finally {
      lock.unlock();
    }
  }

  private Connection connect() {
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
      idle.forEach(Database::closeQuietly);
      open -= idle.size();
      idle.clear();
      returned.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
