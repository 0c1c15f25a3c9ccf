package kr.codeb.postgresql.internal;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import kr.codeb.Checks;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderConfig;
import kr.codeb.Secret;

/**
 * Where a {@code postgresql://host[:port]/database?user=NAME[&sslmode=..][&sslrootcert=..]
 * [&schema=..][&connect_timeout=..]} URI points, and how to log in: the password only from
 * {@code CODEB_POSTGRESQL_PASSWORD} or {@code PGPASSWORD}, never from the URI. Everything is
 * checked here, before any connection: an unknown parameter, a password in the URI, a bad
 * {@code sslmode} or schema name are refused with a message that names the problem and what
 * is allowed, and never repeats a password.
 */
public final class ConnectionSettings {
  public static final String SCHEME = "postgresql";
  static final int DEFAULT_PORT = 5432;
  private static final List<String> PARAMETERS =
      List.of("user", "sslmode", "sslrootcert", "schema", "connect_timeout");
  private static final List<String> SSL_MODES =
      List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final String FORM = "expected postgresql://HOST[:PORT]/DATABASE?user=NAME"
      + "[&sslmode=" + String.join("|", SSL_MODES) + "][&sslrootcert=FILE][&schema=NAME]"
      + "[&connect_timeout=SECONDS], the password in CODEB_POSTGRESQL_PASSWORD or PGPASSWORD";

  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final Optional<Secret> password;
  private final Optional<String> sslMode;
  private final Optional<String> sslRootCert;
  private final String schema;
  private final int connectTimeoutSeconds;

  private ConnectionSettings(String host, int port, String database, String user,
      Optional<Secret> password, Optional<String> sslMode, Optional<String> sslRootCert,
      String schema, int connectTimeoutSeconds) {
    this.host = host;
    this.port = port;
    this.database = database;
    this.user = user;
    this.password = password;
    this.sslMode = sslMode;
    this.sslRootCert = sslRootCert;
    this.schema = schema;
    this.connectTimeoutSeconds = connectTimeoutSeconds;
  }

  /**
   * The settings of a config's URI and environment.
   *
   * @throws InvalidRequestException if the URI is not of the documented form
   */
  public static ConnectionSettings from(ProviderConfig config) {
    URI uri = config.uri();
    if (!SCHEME.equals(config.scheme()) || uri.isOpaque()) {
      throw bad("not a postgresql URI");
    }
    if (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) {
      throw bad("a postgresql URI must not carry a password");
    }
    Set<String> seen = new LinkedHashSet<>();
    String query = uri.getRawQuery();
    String user = uri.getUserInfo();
    Optional<String> sslMode = Optional.empty();
    Optional<String> sslRootCert = Optional.empty();
    String schema = "codeb";
    int timeout = 10;
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        if (key.equals("password")) {
          throw bad("a postgresql URI must not carry a password (query parameter 'password')");
        }
        if (!PARAMETERS.contains(key)) {
          throw bad("unknown parameter " + Checks.quote(key) + " (known: "
              + String.join(", ", PARAMETERS) + ")");
        }
        if (!seen.add(key)) {
          throw bad("parameter " + Checks.quote(key) + " given twice");
        }
        if (value.isBlank()) {
          throw bad("parameter " + Checks.quote(key) + " has no value");
        }
        switch (key) {
          case "user" -> user = value;
          case "sslmode" -> {
            if (!SSL_MODES.contains(value)) {
              throw bad("sslmode " + Checks.quote(value) + " is not one of "
                  + String.join(", ", SSL_MODES));
            }
            sslMode = Optional.of(value);
          }
          case "sslrootcert" -> sslRootCert = Optional.of(value);
          case "schema" -> {
            if (!IDENTIFIER.matcher(value).matches()) {
              throw bad("schema " + Checks.quote(value) + " is not a plain lower-case name"
                  + " (a-z, 0-9, _; at most 63, not starting with a digit)");
            }
            schema = value;
          }
          case "connect_timeout" -> timeout = timeout(value);
          default -> throw new IllegalStateException(key);
        }
      }
    }
    if (uri.getRawFragment() != null) {
      throw bad("a postgresql URI takes no fragment");
    }
    String host = uri.getHost();
    if (host == null || host.isBlank()) {
      throw bad("no host");
    }
    String path = uri.getPath();
    if (path == null || path.length() < 2 || path.indexOf('/', 1) >= 0) {
      throw bad("no database: name one as the path (postgresql://HOST/DATABASE)");
    }
    if (user == null || user.isBlank()) {
      throw bad("no user: add ?user=NAME");
    }
    int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
    Optional<Secret> password = config.secret(SCHEME, "password", "PGPASSWORD");
    return new ConnectionSettings(host, port, path.substring(1), user, password, sslMode,
        sslRootCert, schema, timeout);
  }

  private static int timeout(String value) {
    try {
      int seconds = Integer.parseInt(value);
      if (seconds >= 1 && seconds <= 300) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw bad("connect_timeout " + Checks.quote(value) + " is not 1-300 seconds");
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw bad("a parameter is not properly %-encoded");
    }
  }

  private static InvalidRequestException bad(String problem) {
    // The URI itself is not repeated: it may hold what should not be printed.
    return new InvalidRequestException("bad postgresql SSOT URI: " + problem + "; " + FORM);
  }

  /** The schema the store's tables are in. */
  public String schema() {
    return schema;
  }

  /** The URI as it can be printed (no password is ever part of it). */
  public String display() {
    return SCHEME + "://" + host + ":" + port + "/" + database + "?user=" + user
        + sslMode.map(m -> "&sslmode=" + m).orElse("")
        + ("codeb".equals(schema) ? "" : "&schema=" + schema);
  }

  /** Opens a connection (auto-commit on). */
  public Connection connect() throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    password.ifPresent(p -> props.setProperty("password", p.reveal()));
    sslMode.ifPresent(m -> props.setProperty("sslmode", m));
    sslRootCert.ifPresent(c -> props.setProperty("sslrootcert", c));
    props.setProperty("connectTimeout", Integer.toString(connectTimeoutSeconds));
    props.setProperty("ApplicationName", "codeb");
    props.setProperty("tcpKeepAlive", "true");
    String url = "jdbc:postgresql://" + host + ":" + port + "/" + encodedDatabase();
    Connection connection = new org.postgresql.Driver().connect(url, props);
    if (connection == null) {
      throw new SQLException("pgjdbc did not accept the URL", "08001");
    }
    return connection;
  }

  private String encodedDatabase() {
    return java.net.URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The user, for messages. */
  public String user() {
    return user;
  }

  /** Whether a password was found in the environment. */
  public boolean hasPassword() {
    return password.isPresent();
  }

  /** The database, for messages. */
  public String database() {
    return database;
  }

  @Override
  public String toString() {
    return display();
  }
}
