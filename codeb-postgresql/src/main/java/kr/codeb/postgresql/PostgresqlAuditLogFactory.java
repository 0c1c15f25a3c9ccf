package kr.codeb.postgresql;

import java.util.Set;
import kr.codeb.ProviderConfig;
import kr.codeb.audit.AuditLog;
import kr.codeb.audit.AuditLogFactory;

/** {@code postgresql://...}: the audit log in the database of that SSOT. */
public final class PostgresqlAuditLogFactory implements AuditLogFactory {
  @Override
  public Set<String> schemes() {
    return Set.of("postgresql");
  }

  @Override
  public AuditLog create(ProviderConfig config) {
    return PostgresqlAuditLog.open(config);
  }
}
