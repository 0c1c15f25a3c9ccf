package kr.codeb.postgresql;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.UnaryOperator;
import kr.codeb.ProviderConfig;
import kr.codeb.tck.TestEngines;

/**
 * A database of its own on the test server ({@code scripts/test-env.sh up}: the
 * {@code CODEB_TEST_POSTGRESQL_*} variables), created for one test class and dropped after it.
 * Missing variables fail the test under {@code CI=true} and skip it elsewhere.
 */
final class TestDatabase implements AutoCloseable {
  final String host;
  final int port;
  final String user;
  final String password;
  final String name;

  private TestDatabase(String host, int port, String user, String password, String name) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
    this.name = name;
  }

  static TestDatabase create(String purpose) {
    String host = TestEngines.require("CODEB_TEST_POSTGRESQL_HOST");
    int port = Integer.parseInt(TestEngines.require("CODEB_TEST_POSTGRESQL_PORT"));
    String user = TestEngines.require("CODEB_TEST_POSTGRESQL_USER");
    String password = TestEngines.require("CODEB_TEST_POSTGRESQL_PASSWORD");
    String name = ("t_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8))
        .toLowerCase(Locale.ROOT);
    TestDatabase db = new TestDatabase(host, port, user, password, name);
    db.admin("CREATE DATABASE " + name);
    return db;
  }

  /** The store URI of this database (no password), with extra query parameters. */
  String uri(String extra) {
    return "postgresql://" + host + ":" + port + "/" + name + "?user=" + user
        + (extra.isEmpty() ? "" : "&" + extra);
  }

  /** The environment a store gets: the password in CODEB_POSTGRESQL_PASSWORD. */
  UnaryOperator<String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("CODEB_POSTGRESQL_PASSWORD", password);
    return env::get;
  }

  ProviderConfig config(String extra) {
    return new ProviderConfig(URI.create(uri(extra)), Map.of(), environment());
  }

  /** A JDBC connection to this database, for checking what the store wrote. */
  Connection connect() throws SQLException {
    return connect(name);
  }

  private Connection connect(String database) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database,
        props);
  }

  void execute(String sql) {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private void admin(String sql) {
    try (Connection c = connect(TestEngines.require("CODEB_TEST_POSTGRESQL_DATABASE"));
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }
}
