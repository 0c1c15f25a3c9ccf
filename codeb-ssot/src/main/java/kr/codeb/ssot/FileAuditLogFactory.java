package kr.codeb.ssot;

import java.nio.file.Path;
import java.util.Set;
import kr.codeb.ProviderConfig;
import kr.codeb.audit.AuditLog;
import kr.codeb.audit.AuditLogFactory;

/** {@code file:///opt/codeb/registry/ssot.json}: the audit log beside that SSOT file. */
public final class FileAuditLogFactory implements AuditLogFactory {
  @Override
  public Set<String> schemes() {
    return Set.of("file");
  }

  @Override
  public AuditLog create(ProviderConfig config) {
    return FileAuditLog.besideSsot(Path.of(config.uri()));
  }
}
