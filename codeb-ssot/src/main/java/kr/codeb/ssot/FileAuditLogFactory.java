package kr.codeb.ssot;

import java.nio.file.Path;
import java.util.Set;
import kr.codeb.ProviderConfig;
import kr.codeb.audit.AuditLog;
import kr.codeb.audit.AuditLogFactory;

/**
 * {@code file:///opt/codeb/registry/ssot.json}: the audit log beside that SSOT file.
 * {@code audit+file:///home/me/.local/state/codeb/audit.jsonl}: the log in that file itself,
 * for a CLI whose SSOT is served by another machine ({@code https://}), whose server keeps the
 * SSOT's own entries.
 */
public final class FileAuditLogFactory implements AuditLogFactory {
  /** The scheme of a log file named directly. */
  public static final String AUDIT_FILE = "audit+file";

  @Override
  public Set<String> schemes() {
    return Set.of("file", AUDIT_FILE);
  }

  @Override
  public AuditLog create(ProviderConfig config) {
    if (AUDIT_FILE.equals(config.scheme())) {
      return FileAuditLog.at(Path.of(config.uri().getPath()));
    }
    return FileAuditLog.besideSsot(Path.of(config.uri()));
  }
}
