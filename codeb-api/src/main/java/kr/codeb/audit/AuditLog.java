package kr.codeb.audit;

import java.util.List;
import kr.codeb.InvalidRequestException;
import kr.codeb.ProviderInfo;
import kr.codeb.UnavailableException;

/**
 * Where the changes CodeB makes are recorded: an append-only list of {@link AuditEntry}. It
 * lives with the SSOT (see {@link kr.codeb.ProviderRegistry#auditLog}): a JSON-lines file
 * beside the SSOT file ({@code <ssot>.audit.jsonl}, mode 0600), a table in the database of the
 * {@code postgresql://} store.
 *
 * <p>Semantics every implementation keeps:
 * <ul>
 *   <li>{@link #append} stores the whole entry or nothing; entries are never changed or
 *       removed by CodeB. Appends from several threads and processes do not interleave.
 *   <li>{@link #read} returns entries in the order they were appended (oldest first), filtered
 *       by the query. A log that was never written reads as empty.
 *   <li>Entries hold no secret values; implementations do not add any.
 * </ul>
 * The SSOT stores append an entry for every edit that changed the registry, in the same write
 * where they can (the database store: the same transaction). Implementations are thread-safe.
 */
public interface AuditLog extends AutoCloseable {

  ProviderInfo info();

  /**
   * Appends an entry.
   *
   * @throws UnavailableException if the log cannot be written
   */
  void append(AuditEntry entry);

  /**
   * The entries the query selects, oldest first.
   *
   * @throws InvalidRequestException if the stored log is malformed (the message names the line
   *     or row, never its content)
   * @throws UnavailableException if the log cannot be read
   */
  List<AuditEntry> read(AuditQuery query);

  @Override
  void close();
}
