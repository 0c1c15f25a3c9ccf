package kr.codeb.ssot.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import kr.codeb.InvalidRequestException;
import kr.codeb.ports.Registry;
import kr.codeb.ports.Revision;

/**
 * The SSOT v7 JSON codec: bytes to {@link Registry} and back.
 *
 * <p>Reading refuses structural errors (not JSON, duplicate keys, wrong types, missing required
 * fields, bad ports, names or slots) with an {@link InvalidRequestException} whose message
 * starts with the display name and names the place: line and column for syntax errors, a JSON
 * path such as {@code $.portRanges.staging.start} otherwise.
 *
 * <p>Writing patches the original document's tree (see {@link SsotPatcher}), so unknown fields
 * and key order survive; output is 2-space pretty JSON with a trailing newline. The revision is
 * a digest of the exact bytes and never part of the document. Instances are immutable and
 * thread-safe.
 */
public final class SsotCodec {
  /**
   * jackson-core only: the tree is built from the token stream (see {@link JsonTreeIo}), so a
   * CLI start does not pay for ObjectMapper's initialisation (date formats, locale data, type
   * factory: ~50 ms cold, docs/benchmarks.md).
   */
  private static final JsonTreeIo IO = new JsonTreeIo(printer());

  private final String displayName;

  /** @param displayName how messages name the document, e.g. its path */
  public SsotCodec(String displayName) {
    this.displayName = Objects.requireNonNull(displayName, "displayName");
  }

  /**
   * Decodes a document; the registry's revision is {@link #revision} of exactly these bytes.
   *
   * @throws InvalidRequestException for any structural error, naming the place
   */
  public Registry read(byte[] bytes) {
    return decode(bytes).registry();
  }

  /**
   * A decoded document: its registry and the parsed tree (null where a caller dropped it),
   * which {@link #rewrite(Decoded, Registry)} patches in place. For a read-modify-write that
   * parses the document once.
   */
  public record Decoded(ObjectNode tree, Registry registry) {}

  /**
   * Decodes a document, keeping its tree for {@link #rewrite(Decoded, Registry)}.
   *
   * @throws InvalidRequestException for any structural error, naming the place
   */
  public Decoded decode(byte[] bytes) {
    JsonNode root = parse(bytes);
    Registry registry = new SsotReader(displayName).read(root, revision(bytes));
    // The reader refuses anything but an object at the root.
    return new Decoded((ObjectNode) root, registry);
  }

  /**
   * Encodes {@code registry} by patching {@code original}'s tree IN PLACE (the tree is spent
   * afterwards). The registry it returns is {@code registry} with the revision of the bytes:
   * equal to what a read of those bytes gives, without parsing them again (the model holds
   * exactly what the format can say: names, ports and slots are validated by their records,
   * extension numbers are kept in the types a read gives, see {@code JsonValues#copy}; the one
   * thing left to check, the format version, is checked here).
   *
   * @throws InvalidRequestException if an extension uses a key the format reserves or the
   *     version is not one this CodeB writes
   */
  public Encoded rewrite(Decoded original, Registry registry) {
    if (!registry.version().startsWith(SsotReader.MAJOR)) {
      throw new InvalidRequestException(displayName + ": refusing to write format version '"
          + registry.version() + "': this CodeB writes " + SsotReader.MAJOR + "x");
    }
    ObjectNode root = original.tree();
    SsotPatcher.patch(root, registry);
    byte[] bytes = serialise(root);
    return new Encoded(bytes, registry.withRevision(revision(bytes)));
  }

  /**
   * Only the tree of a document already known to decode (its registry is at hand): for
   * patching without checking it again.
   */
  public ObjectNode parseObject(byte[] bytes) {
    JsonNode parsed = parse(bytes);
    if (!(parsed instanceof ObjectNode root)) {
      throw new InvalidRequestException(displayName + ": $: expected an object, found "
          + JsonTrees.describe(parsed));
    }
    return root;
  }

  /** Bytes to store and the registry a read of them gives. */
  public record Encoded(byte[] bytes, Registry registry) {}

  /**
   * Encodes a registry. With an original document, its tree is patched so every field CodeB
   * does not model, and the key order, survive; without one, a fresh document is written.
   *
   * @param original the bytes the registry was read from, or null
   * @throws InvalidRequestException if the original does not parse to an object, or an
   *     extension uses a key the format reserves
   */
  public byte[] write(byte[] original, Registry registry) {
    ObjectNode root = original == null ? SsotPatcher.skeleton() : parseObject(original);
    SsotPatcher.patch(root, registry);
    return serialise(root);
  }

  private static byte[] serialise(ObjectNode root) {
    byte[] json = IO.write(root);
    byte[] out = Arrays.copyOf(json, json.length + 1);
    out[json.length] = '\n';
    return out;
  }

  /** The first 16 hex digits of the SHA-256 of the bytes. */
  public static Revision revision(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return new Revision(HexFormat.of().formatHex(digest, 0, 8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private JsonNode parse(byte[] bytes) {
    if (isBlank(bytes)) {
      throw new InvalidRequestException(displayName + ": line 1, column 1: the file is empty;"
          + " expected a JSON object with version, portRanges, projects and ports");
    }
    try {
      return IO.read(bytes);
    } catch (JsonProcessingException e) {
      // Jackson's own message quotes the offending text (a token, a character, a key): the
      // file's content, which may be anything (a secret pasted by mistake, /etc/passwd through
      // a symlink). Only the place and a description go into the message, and no cause.
      throw new InvalidRequestException(displayName + ": " + JsonSyntax.place(e)
          + "not valid JSON: " + JsonSyntax.problem(e));
    } catch (IOException e) {
      throw new InvalidRequestException(displayName + ": could not parse it as JSON");
    }
  }

  /** Only JSON whitespace (or nothing): checked on the bytes, without decoding the file. */
  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  private static DefaultPrettyPrinter printer() {
    // "key": value like the files people write (Jackson's default is "key" : value), and "\n"
    // on every platform so the revision does not depend on where CodeB runs.
    Separators separators = Separators.createDefaultInstance()
        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
        .withObjectEmptySeparator("")
        .withArrayEmptySeparator("");
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators);
    printer.indentObjectsWith(indenter);
    printer.indentArraysWith(indenter);
    return printer;
  }
}
