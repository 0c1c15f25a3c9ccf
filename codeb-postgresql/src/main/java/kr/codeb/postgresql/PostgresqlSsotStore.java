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
import kr.codeb.postgresql.internal.RowEdits;
import kr.codeb.ssot.SsotDocument;

/**
 * The SSOT registry in a PostgreSQL database: {@code postgresql://HOST[:PORT]/DATABASE?user=NAME
 * [&sslmode=MODE][&sslrootcert=FILE][&schema=NAME][&connect_timeout=SECONDS]}, the password in
 * {@code CODEB_POSTGRESQL_PASSWORD} or {@code PGPASSWORD} (a password in the URI is refused).
 *
 * <p>Storage (schema {@code codeb} unless the URI names another; created and upgraded by the
 * store itself, see the module's {@code Schema}): the registry as rows, one per project entry
 * ({@code ssot_project}), per project pair ({@code ssot_project_port}) and per record of
 * {@code ports.allocated} ({@code ssot_allocation}, whose primary key is the port: a port
 * recorded twice fails the transaction on the database's key, whatever the code did), laid over
 * a base document in {@code ssot_document}: the whole SSOT v7 document, byte for byte as the
 * file store writes it, which holds the ranges and every field CodeB does not model. The audit
 * log is in {@code audit_log}.
 *
 * <p>{@link #read()} reads the base and the rows in one snapshot and patches the base with the
 * rows (with the file store's codec, so unknown fields and key order survive; while nothing
 * changed since the base was written, the document is the base's bytes exactly). The revision
 * is the digest of that document, as for the file store, so a document moved between the two
 * keeps its revision and every change of content changes it.
 *
 * <p>{@link #apply}: allocate and release are row operations, each one short transaction of
 * one statement that changes the rows of one project and appends its audit row, run side by
 * side from any number of processes and servers (see the module's {@code RowEdits} for why no
 * port is handed out twice). Every other edit (repair), and an allocation or release the rows
 * cannot decide (an environment without a range, a full range), is applied to the whole
 * document in one transaction that holds the registry lock exclusively: the edit runs on the
 * current document, which is then written as the new base with all its rows, with the audit
 * entries; an edit that throws rolls all of it back.
 *
 * <p>Errors: a refused login is an {@link kr.codeb.AuthException}, a missing database or an
 * empty store a {@link NotFoundException}, a schema newer than this CodeB knows an
 * {@link kr.codeb.InvalidRequestException} (nothing written), an unreachable server an
 * {@link kr.codeb.UnavailableException}. A store keeps a few connections (opened on first use,
 * again after one broke) for the threads that use it; thread-safe.
 */
public final class PostgresqlSsotStore implements SsotDocumentStore {
  private static final String PROVIDER = ConnectionSettings.SCHEME;
  private static final long RETRY_NANOS = 30_000_000_000L;

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
    return current().registry();
  }

  /** The current document: one snapshot of the base document and the rows. */
  private SsotDocument current() {
    return DocumentRows.current(db.snapshot(c -> DocumentRows.load(c, schema))
        .orElseThrow(this::notFound), this::decode);
  }

  @Override
  public <T> T apply(RegistryEdit<T> edit) {
    Objects.requireNonNull(edit, "edit");
    if (edit instanceof RegistryEdit.Allocate allocate) {
      RowEdits.Result result = onRows(c -> RowEdits.allocate(c, schema, allocate, PROVIDER,
          Instant.now(), AuditContext.current()));
      if (result.outcome() != RowEdits.Outcome.DOCUMENT) {
        @SuppressWarnings("unchecked")
        T outcome = (T) RowEdits.ports(allocate, result);
        return outcome;
      }
    } else if (edit instanceof RegistryEdit.Release release) {
      RowEdits.Result result = onRows(c -> RowEdits.release(c, schema, release, PROVIDER,
          Instant.now(), AuditContext.current()));
      if (result.outcome() != RowEdits.Outcome.DOCUMENT) {
        @SuppressWarnings("unchecked")
        T outcome = (T) Boolean.valueOf(result.outcome() == RowEdits.Outcome.RELEASED);
        return outcome;
      }
    }
    return onDocument(edit);
  }

  /**
   * A row edit, its own transaction. A schema without a registry has no ranges, so the call
   * answers DOCUMENT and the document path reports it. A row edit that lost a race on a key
   * (the insert met a row that a writer outside CodeB holds) is run again; after about 30
   * seconds of that the conflict is thrown.
   */
  private RowEdits.Result onRows(Database.Body<RowEdits.Result> call) {
    long deadline = System.nanoTime() + RETRY_NANOS;
    while (true) {
      try {
        return db.withConnection(call);
      } catch (ConflictException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  /** An edit of the whole document, under the registry lock taken exclusively. */
  private <T> T onDocument(RegistryEdit<T> edit) {
    return db.transaction(c -> {
      DocumentRows.lock(c, schema);
      SsotDocument before = DocumentRows.current(DocumentRows.load(c, schema)
          .orElseThrow(this::notFound), this::decode);
      RegistryEdit.Applied<T> applied = edit.apply(before.registry());
      if (applied.registry().sameContent(before.registry())) {
        return applied.outcome();
      }
      SsotDocument after = before.with(applied.registry());
      DocumentRows.write(c, schema, after, true);
      AuditRows.insert(c, schema, SsotAudit.entries(edit, applied.outcome(),
          before.registry(), info(), Instant.now(), AuditContext.current()));
      last.set(after);
      return applied.outcome();
    });
  }

  @Override
  public byte[] exportDocument() {
    return current().bytes();
  }

  @Override
  public boolean importDocument(byte[] document, boolean replace) {
    Objects.requireNonNull(document, "document");
    SsotDocument incoming = SsotDocument.parse(document, "the document to import");
    return db.transaction(c -> {
      DocumentRows.lock(c, schema);
      Optional<byte[]> current = DocumentRows.load(c, schema)
          .map(stored -> DocumentRows.current(stored, this::decode).bytes());
      if (current.isPresent() && Arrays.equals(current.get(), document)) {
        return false;
      }
      if (current.isPresent() && !replace) {
        throw new ConflictException(db.settings().display() + " holds another registry"
            + " already (revision " + SsotDocument.revisionOf(current.get()) + "); pass"
            + " --replace to overwrite it");
      }
      DocumentRows.write(c, schema, incoming, current.isPresent());
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
