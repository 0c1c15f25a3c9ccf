package kr.codeb.ssotserver.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import kr.codeb.InputFiles;
import kr.codeb.InvalidRequestException;
import kr.codeb.UnavailableException;
import kr.codeb.ssotserver.TokenInfo;
import kr.codeb.ssotserver.TokenScope;

/**
 * The token file: {@code {"tokens":[{"name":..,"scopes":[..],"created":..,"sha256":..}]}},
 * mode 0600, rewritten whole through a temporary file and a rename. Read again whenever its
 * modification time or size changed.
 */
public final class TokenFile {
  static final long MAX_BYTES = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One token: what it is and the hash of its value. */
  public record Entry(TokenInfo info, byte[] sha256) {}

  private final Path path;
  private List<Entry> cached = List.of();
  private FileTime cachedTime;
  private long cachedSize = -1;

  public TokenFile(Path path) {
    this.path = path;
  }

  public Path path() {
    return path;
  }

  public synchronized List<Entry> entries() {
    FileTime time;
    long size;
    try {
      time = Files.getLastModifiedTime(path);
      size = Files.size(path);
    } catch (NoSuchFileException e) {
      cached = List.of();
      cachedTime = null;
      return cached;
    } catch (IOException e) {
      throw new UnavailableException("cannot read the token file " + InputFiles.shown(path)
          + ": " + InputFiles.reason(e));
    }
    if (!time.equals(cachedTime) || size != cachedSize) {
      cached = parse(InputFiles.read(path, "token file", MAX_BYTES));
      cachedTime = time;
      cachedSize = size;
    }
    return cached;
  }

  public synchronized void add(TokenInfo info, byte[] sha256) {
    List<Entry> all = new ArrayList<>(entries());
    if (all.stream().anyMatch(e -> e.info().name().equals(info.name()))) {
      throw new InvalidRequestException("a token named " + info.name() + " exists already:"
          + " revoke it first, or pick another name");
    }
    all.add(new Entry(info, sha256));
    write(all);
  }

  public synchronized boolean remove(String name) {
    List<Entry> all = new ArrayList<>(entries());
    boolean removed = all.removeIf(e -> e.info().name().equals(name));
    if (removed) {
      write(all);
    }
    return removed;
  }

  private List<Entry> parse(byte[] bytes) {
    String where = "token file " + InputFiles.shown(path);
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new InvalidRequestException(where + " is not JSON");
    }
    if (root == null || !root.path("tokens").isArray()) {
      throw new InvalidRequestException(where + " has no \"tokens\" list");
    }
    List<Entry> out = new ArrayList<>();
    int i = 0;
    for (JsonNode t : root.get("tokens")) {
      try {
        Set<TokenScope> scopes = EnumSet.noneOf(TokenScope.class);
        t.path("scopes").forEach(s -> scopes.add(TokenScope.of(s.asText())));
        byte[] hash = HexFormat.of().parseHex(t.path("sha256").asText());
        if (hash.length != 32) {
          throw new IllegalArgumentException("sha256 is not 32 bytes");
        }
        out.add(new Entry(new TokenInfo(t.path("name").asText(), scopes,
            Instant.parse(t.path("created").asText())), hash));
      } catch (RuntimeException e) {
        throw new InvalidRequestException(where + ": tokens[" + i + "] is malformed");
      }
      i++;
    }
    return List.copyOf(out);
  }

  private void write(List<Entry> entries) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode tokens = root.putArray("tokens");
    for (Entry e : entries) {
      ObjectNode t = tokens.addObject();
      t.put("name", e.info().name());
      ArrayNode scopes = t.putArray("scopes");
      e.info().scopes().stream().sorted().forEach(s -> scopes.add(s.id()));
      t.put("created", e.info().created().toString());
      t.put("sha256", HexFormat.of().formatHex(e.sha256()));
    }
    try {
      Path dir = path.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UnavailableException("cannot write the token file " + InputFiles.shown(path)
          + ": " + InputFiles.reason(e));
    }
    cachedTime = null;
  }
}
