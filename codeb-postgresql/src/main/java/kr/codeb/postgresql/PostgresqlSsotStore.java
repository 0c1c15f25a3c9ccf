package kr.codeb.postgresql;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import kr.codeb.ConflictException;
import kr.codeb.NotFoundException;
import kr.codeb.ProviderConfig;
import kr.codeb.ProviderInfo;
import kr.codeb.audit.AuditContext;
import kr.codeb.audit.AuditEntry;
import kr.codeb.audit.SsotAudit;
import kr.codeb.ports.Registry;
import kr.codeb.ports.RegistryEdit;
import kr.codeb.ports.Revision;
import kr.codeb.ports.SsotDocumentStore;
import kr.codeb.postgresql.internal.AuditRows;
import kr.codeb.postgresql.internal.ConnectionSettings;
import kr.codeb.postgresql.internal.Database;
import kr.codeb.postgresql.internal.DocumentRows;
import kr.codeb.ssot.SsotDocument;

/**
 * The SSOT registry in a PostgreSQL database: {@code postgresql://HOST[:PORT]/DATABASE?user=NAME
 * [&sslmode=MODE][&sslrootcert=FILE][&schema=NAME][&connect_timeout=SECONDS]}, the password in
 * {@code CODEB_POSTGRESQL_PASSWORD} or {@code PGPASSWORD} (a password in the URI is refused).
 *
 * <p>Storage (schema {@code codeb} unless the URI names another; created and upgraded by the
 * store itself, see the module's {@code Schema}): the whole SSOT v7 document, byte for byte as
 * the file store writes it, in {@code ssot_document}; its {@code ports.allocated} records as
 * rows of {@code ssot_allocation}, whose primary key is the port, and the projects' pairs in
 * {@code ssot_project_port}; the audit log in {@code audit_log}. The rows are written in the
 * same transaction as the document, so they always agree with it; a port recorded twice fails
 * that transaction on the database's key, whatever the code did.
 *
 * <p>{@link #read()} is one {@code SELECT} (a consistent snapshot); the revision is the digest
 * of the document's bytes, as for the file store, so a document moved between the two keeps
 * its revision. {@link #apply} is one transaction: the document row is locked
 * ({@code SELECT ... FOR UPDATE}), the edit runs on it, and the new document, the changed rows
 * and the audit entries are written and committed together; an edit that throws rolls all of
 * it back. Writers in all processes and servers are serialised by that row lock. Unknown
 * fields and key order survive every edit (the document is patched with the file store's
 * codec).
 *
 * <p>Errors: a refused login is an {@link kr.codeb.AuthException}, a missing database or an
 * empty store a {@link NotFoundException}, a schema newer than this CodeB knows an
 * {@link kr.codeb.InvalidRequestException} (nothing written), an unreachable server an
 * {@link kr.codeb.UnavailableException}. One connection per store, opened on first use and
 * again after it broke; thread-safe (callers of one store take turns on its connection).
 */
public final class PostgresqlSsotStore implements SsotDocumentStore {
  private static final String PROVIDER = ConnectionSettings.SCHEME;

  private final Database db;
  private final String schema;
  /** The last document decoded: a read of the same bytes does not decode again. */
  private final AtomicReference<SsotDocument> last = new AtomicReference<>();

  private PostgresqlSsotStore(ConnectionSettings settings) {
    this.db = new Database(settings);
    this.schema = settings.schema();
  }

  /**
   * A store for the config's URI; checks the URI, opens no connection.
   *
   * @throws kr.codeb.InvalidRequestException if the URI is not of the documented form or
   *     carries a password
   */
  public static PostgresqlSsotStore open(ProviderConfig config) {
    return new PostgresqlSsotStore(ConnectionSettings.from(Objects.requireNonNull(config)));
  }

  @Override
  public ProviderInfo info() {
    return new ProviderInfo(PROVIDER, db.settings().display());
  }

  @Override
  public Registry read() {
    return db.withConnection(c -> decode(DocumentRows.select(c, schema, false)
        .orElseThrow(this::notFound))).registry();
  }

  @Override
  public <T> T apply(RegistryEdit<T> edit) {
    Objects.requireNonNull(edit, "edit");
    return db.transaction(c -> {
      SsotDocument before = decode(DocumentRows.select(c, schema, true)
          .orElseThrow(this::notFound));
      RegistryEdit.Applied<T> applied = edit.apply(before.registry());
      if (applied.registry().sameContent(before.registry())) {
        return applied.outcome();
      }
      SsotDocument after = before.with(applied.registry());
      DocumentRows.update(c, schema, after, before.registry());
      AuditRows.insert(c, schema, SsotAudit.entries(edit, applied.outcome(),
          before.registry(), info(), Instant.now(), AuditContext.current()));
      last.set(after);
      return applied.outcome();
    });
  }

  @Override
  public byte[] exportDocument() {
    return db.withConnection(c -> DocumentRows.select(c, schema, false)
        .orElseThrow(this::notFound));
  }

  @Override
  public boolean importDocument(byte[] document, boolean replace) {
    Objects.requireNonNull(document, "document");
    SsotDocument incoming = SsotDocument.parse(document, "the document to import");
    return db.transaction(c -> {
      Optional<byte[]> current = DocumentRows.select(c, schema, true);
      if (current.isPresent() && Arrays.equals(current.get(), document)) {
        return false;
      }
      if (current.isPresent() && !replace) {
        throw new ConflictException(db.settings().display() + " holds another registry"
            + " already (revision " + SsotDocument.revisionOf(current.get()) + "); pass"
            + " --replace to overwrite it");
      }
      DocumentRows.replace(c, schema, incoming, current.isPresent());
      Optional<Revision> previous = current.map(SsotDocument::revisionOf);
      AuditEntry entry = SsotAudit.importEntry(previous, incoming.revision(), info(),
          Instant.now(), AuditContext.current());
      AuditRows.insert(c, schema, List.of(entry));
      last.set(incoming);
      return true;
    });
  }

  private SsotDocument decode(byte[] bytes) {
    SsotDocument known = last.get();
    if (known != null && Arrays.equals(known.bytes(), bytes)) {
      return known;
    }
    SsotDocument decoded = SsotDocument.parse(bytes, db.settings().display());
    last.set(decoded);
    return decoded;
  }

  private NotFoundException notFound() {
    return new NotFoundException("no SSOT registry in " + db.settings().display() + ": the"
        + " database holds none yet (copy one in with `we ssot migrate --from FILE --to "
        + db.settings().display() + "`)", PROVIDER, 0, null);
  }

  @Override
  public void close() {
    db.close();
  }

  @Override
  public String toString() {
    return "PostgresqlSsotStore[" + db.settings().display() + "]";
  }
}
