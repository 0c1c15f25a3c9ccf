package kr.codeb.postgresql;

import java.util.List;
import java.util.Objects;
import kr.codeb.ProviderConfig;
import kr.codeb.ProviderInfo;
import kr.codeb.audit.AuditEntry;
import kr.codeb.audit.AuditLog;
import kr.codeb.audit.AuditQuery;
import kr.codeb.postgresql.internal.AuditRows;
import kr.codeb.postgresql.internal.ConnectionSettings;
import kr.codeb.postgresql.internal.Database;

/**
 * The audit log of a {@code postgresql://} SSOT: the {@code audit_log} table in the same
 * schema, where {@link PostgresqlSsotStore} writes the entries of its edits in the edits' own
 * transactions. Same URI and password rules as the store.
 */
public final class PostgresqlAuditLog implements AuditLog {
  private final Database db;

  private PostgresqlAuditLog(ConnectionSettings settings) {
    this.db = new Database(settings);
  }

  /** The log for the config's URI; checks the URI, opens no connection. */
  public static PostgresqlAuditLog open(ProviderConfig config) {
    return new PostgresqlAuditLog(ConnectionSettings.from(Objects.requireNonNull(config)));
  }

  @Override
  public ProviderInfo info() {
    return new ProviderInfo(ConnectionSettings.SCHEME, db.settings().display());
  }

  @Override
  public void append(AuditEntry entry) {
    Objects.requireNonNull(entry, "entry");
    db.transaction(c -> {
      AuditRows.insert(c, db.settings().schema(), List.of(entry));
      return null;
    });
  }

  @Override
  public List<AuditEntry> read(AuditQuery query) {
    Objects.requireNonNull(query, "query");
    return db.withConnection(c -> AuditRows.select(c, db.settings().schema(), query));
  }

  @Override
  public void close() {
    db.close();
  }
}
