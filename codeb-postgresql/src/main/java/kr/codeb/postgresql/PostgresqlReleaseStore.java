package kr.codeb.postgresql;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import kr.codeb.ProviderConfig;
import kr.codeb.deploy.DeployKey;
import kr.codeb.deploy.DeployLock;
import kr.codeb.deploy.EnvSource;
import kr.codeb.deploy.ReleaseOutcome;
import kr.codeb.deploy.ReleaseRecord;
import kr.codeb.deploy.ReleaseStore;
import kr.codeb.model.Slot;
import kr.codeb.postgresql.internal.ConnectionSettings;
import kr.codeb.postgresql.internal.Database;

/**
 * Deploy locks and release history in the database of a {@code postgresql://} SSOT (same URI
 * and password rules, same schema): {@code deploy_lock}, whose primary key (project,
 * environment) makes taking a lock one atomic insert, and the append-only
 * {@code release_history}. Shared by every process and server that uses the database.
 */
public final class PostgresqlReleaseStore implements ReleaseStore {
  private final Database db;
  private final String s;

  private PostgresqlReleaseStore(ConnectionSettings settings) {
    this.db = new Database(settings);
    this.s = "\"" + settings.schema() + "\".";
  }

  /** The store for the config's URI; checks the URI, opens no connection. */
  public static PostgresqlReleaseStore open(ProviderConfig config) {
    return new PostgresqlReleaseStore(ConnectionSettings.from(Objects.requireNonNull(config)));
  }

  @Override
  public Optional<DeployLock> tryLock(DeployKey key, String holder, Duration ttl) {
    Instant now = Instant.now();
    DeployLock lock = new DeployLock(key, holder, UUID.randomUUID().toString(), now,
        now.plus(ttl));
    return db.withConnection(c -> {
      try (PreparedStatement st = c.prepareStatement("INSERT INTO " + s + "deploy_lock"
          + " (project, environment, holder, token, acquired, expires) VALUES (?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (project, environment) DO NOTHING")) {
        bindKey(st, key);
        st.setString(3, holder);
        st.setString(4, lock.token());
        st.setTimestamp(5, Timestamp.from(lock.acquired()));
        st.setTimestamp(6, Timestamp.from(lock.expires()));
        return st.executeUpdate() == 1 ? Optional.of(lock) : Optional.empty();
      }
    });
  }

  @Override
  public Optional<DeployLock> currentLock(DeployKey key) {
    return db.withConnection(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT holder, token, acquired, expires"
          + " FROM " + s + "deploy_lock WHERE project = ? AND environment = ?")) {
        bindKey(st, key);
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() ? Optional.of(new DeployLock(key, rs.getString(1), rs.getString(2),
              rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant())) : Optional.empty();
        }
      }
    });
  }

  @Override
  public boolean unlock(DeployLock lock) {
    return delete(lock.key(), Optional.of(lock.token()));
  }

  @Override
  public boolean breakLock(DeployKey key) {
    return delete(key, Optional.empty());
  }

  private boolean delete(DeployKey key, Optional<String> token) {
    return db.withConnection(c -> {
      try (PreparedStatement st = c.prepareStatement("DELETE FROM " + s + "deploy_lock"
          + " WHERE project = ? AND environment = ?" + (token.isPresent() ? " AND token = ?"
              : ""))) {
        bindKey(st, key);
        if (token.isPresent()) {
          st.setString(3, token.get());
        }
        return st.executeUpdate() == 1;
      }
    });
  }

  @Override
  public void append(ReleaseRecord r) {
    Objects.requireNonNull(r, "record");
    db.withConnection(c -> {
      try (PreparedStatement st = c.prepareStatement("INSERT INTO " + s + "release_history"
          + " (project, environment, at, release, actor, image, slot, port, container_port,"
          + " health_path, env_file, env_keys, env_hash, outcome, message)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        bindKey(st, r.key());
        st.setTimestamp(3, Timestamp.from(r.time()));
        st.setString(4, r.release());
        st.setString(5, r.actor());
        st.setString(6, r.image());
        st.setString(7, r.slot().id());
        st.setInt(8, r.port());
        st.setInt(9, r.containerPort());
        st.setString(10, r.healthPath());
        st.setString(11, r.envSource().file().orElse(null));
        st.setArray(12, c.createArrayOf("text", r.envSource().optionKeys().toArray()));
        st.setString(13, r.envHash());
        st.setString(14, r.outcome().id());
        st.setString(15, r.message());
        st.executeUpdate();
        return null;
      }
    });
  }

  @Override
  public List<ReleaseRecord> history(DeployKey key) {
    return db.withConnection(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT at, release, actor, image, slot,"
          + " port, container_port, health_path, env_file, env_keys, env_hash, outcome, message"
          + " FROM " + s + "release_history WHERE project = ? AND environment = ? ORDER BY id")) {
        bindKey(st, key);
        List<ReleaseRecord> records = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            records.add(record(key, rs));
          }
        }
        return records;
      }
    });
  }

  private static ReleaseRecord record(DeployKey key, ResultSet rs) throws SQLException {
    Array keys = rs.getArray(10);
    List<String> optionKeys = Arrays.stream((Object[]) keys.getArray()).map(String::valueOf)
        .toList();
    return new ReleaseRecord(rs.getTimestamp(1).toInstant(), key, rs.getString(2),
        rs.getString(3), rs.getString(4), Slot.parse(rs.getString(5)), rs.getInt(6),
        rs.getInt(7), rs.getString(8),
        new EnvSource(Optional.ofNullable(rs.getString(9)), optionKeys), rs.getString(11),
        ReleaseOutcome.parse(rs.getString(12)), rs.getString(13));
  }

  private static void bindKey(PreparedStatement st, DeployKey key) throws SQLException {
    st.setString(1, key.project().value());
    st.setString(2, key.environment().name());
  }

  @Override
  public void close() {
    db.close();
  }

  /** For messages. */
  @Override
  public String toString() {
    return "PostgresqlReleaseStore[" + db.settings().display() + "]";
  }
}
