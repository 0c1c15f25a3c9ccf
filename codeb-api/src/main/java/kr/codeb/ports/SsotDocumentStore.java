package kr.codeb.ports;

import kr.codeb.ConflictException;
import kr.codeb.InvalidRequestException;
import kr.codeb.NotFoundException;
import kr.codeb.UnavailableException;

/**
 * An {@link SsotStore} that keeps the registry as one SSOT document (the v7 JSON, whole, with
 * every field CodeB does not model) and can hand it over as it is: what {@code we ssot migrate}
 * moves from one store to another, byte for byte.
 */
public interface SsotDocumentStore extends SsotStore {

  /**
   * The stored document's exact bytes.
   *
   * @throws NotFoundException if there is no registry at the store's location
   * @throws UnavailableException if the store cannot be read
   */
  byte[] exportDocument();

  /**
   * Stores {@code document} as the registry, atomically, after checking that it is a valid
   * SSOT document. When the store holds these exact bytes already nothing is written. When it
   * holds another registry, that one is replaced only with {@code replace}. The change is
   * recorded in the store's audit log.
   *
   * @return whether anything was written
   * @throws InvalidRequestException if the document is not a valid SSOT document (nothing is
   *     written)
   * @throws ConflictException if the store holds another registry and {@code replace} is false
   * @throws UnavailableException if the store cannot be written
   */
  boolean importDocument(byte[] document, boolean replace);
}
