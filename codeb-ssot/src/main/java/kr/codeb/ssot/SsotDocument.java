package kr.codeb.ssot;

import java.util.Arrays;
import java.util.Objects;
import kr.codeb.InvalidRequestException;
import kr.codeb.ports.Registry;
import kr.codeb.ports.Revision;
import kr.codeb.ssot.internal.SsotCodec;

/**
 * One SSOT v7 document as bytes, for stores that keep the document whole somewhere other than
 * a file (a database row): the same codec as {@link FileSsotStore}, so such a store keeps what
 * the file store keeps (unknown fields at every level, key order, the exact bytes while nothing
 * changes) and a document moved between them is byte for byte the same.
 *
 * <p>The revision of a document is the file store's: a digest of exactly its bytes. Instances
 * are immutable.
 */
public final class SsotDocument {
  private final byte[] bytes;
  private final Registry registry;
  private final String displayName;

  private SsotDocument(byte[] bytes, Registry registry, String displayName) {
    this.bytes = bytes;
    this.registry = registry;
    this.displayName = displayName;
  }

  /**
   * Decodes a stored document.
   *
   * @param displayName how messages name the document (a path, a URI without secrets)
   * @throws InvalidRequestException if it is not a valid v7 document (the message names the
   *     place, never the content)
   */
  public static SsotDocument parse(byte[] bytes, String displayName) {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(displayName, "displayName");
    byte[] copy = bytes.clone();
    return new SsotDocument(copy, new SsotCodec(displayName).read(copy), displayName);
  }

  /** A fresh document for a registry that has none (written as the file store writes one). */
  public static SsotDocument of(Registry registry, String displayName) {
    Objects.requireNonNull(registry, "registry");
    SsotCodec codec = new SsotCodec(Objects.requireNonNull(displayName, "displayName"));
    byte[] bytes = codec.write(null, registry);
    return new SsotDocument(bytes, codec.read(bytes), displayName);
  }

  /**
   * This document changed to hold {@code after}: its tree is patched, so every field CodeB does
   * not model and the key order stay as they are.
   *
   * @throws InvalidRequestException if the registry cannot be written in the format (a reserved
   *     key in an extension, a version this CodeB does not write)
   */
  public SsotDocument with(Registry after) {
    Objects.requireNonNull(after, "after");
    SsotCodec codec = new SsotCodec(displayName);
    SsotCodec.Encoded encoded =
        codec.rewrite(new SsotCodec.Decoded(codec.parseObject(bytes), registry), after);
    return new SsotDocument(encoded.bytes(), encoded.registry(), displayName);
  }

  /** The registry the document holds, with {@link #revision()}. */
  public Registry registry() {
    return registry;
  }

  /** The document's bytes (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The revision of these bytes, as {@link FileSsotStore} derives it. */
  public Revision revision() {
    return registry.revision();
  }

  /** The revision of a document's bytes, as {@link FileSsotStore} derives it. */
  public static Revision revisionOf(byte[] bytes) {
    return SsotCodec.revision(bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SsotDocument d && Arrays.equals(bytes, d.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "SsotDocument[" + displayName + ", revision " + revision() + "]";
  }
}
