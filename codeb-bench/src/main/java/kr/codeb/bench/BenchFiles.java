package kr.codeb.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kr.codeb.ProviderRegistry;
import kr.codeb.ports.SsotDocumentStore;
import kr.codeb.ports.SsotStore;
import kr.codeb.testkit.SeedData;

/** Test files for the benchmarks: always a copy of the seed's SSOT, never a real registry. */
public final class BenchFiles {
  static final String SEED_PRODUCTION = "\"production\": { \"start\": 4100, \"end\": 4499 }";
  static final String WIDE_PRODUCTION = "\"production\": { \"start\": 10000, \"end\": 60000 }";

  private BenchFiles() {}

  /** The seed's bytes with the production range widened to 10000-60000 (else unchanged). */
  public static byte[] wideSeed() {
    String seed = new String(SeedData.ssotBytes(), StandardCharsets.UTF_8);
    if (!seed.contains(SEED_PRODUCTION)) {
      throw new IllegalStateException("the seed's production range is not " + SEED_PRODUCTION
          + ": update BenchFiles");
    }
    return seed.replace(SEED_PRODUCTION, WIDE_PRODUCTION).getBytes(StandardCharsets.UTF_8);
  }

  /** Writes {@link #wideSeed()} to {@code dir/ssot.json}, replacing what is there. */
  public static Path writeWideSeed(Path dir) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("ssot.json");
      Files.write(file, wideSeed());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code BenchFiles DIR}: writes the widened seed to DIR/ssot.json, prints its path.
   * {@code BenchFiles postgresql://...}: stores it in that database (replacing what is there;
   * password from {@code CODEB_POSTGRESQL_PASSWORD}), prints the URI.
   */
  public static void main(String[] args) {
    if (args[0].startsWith("postgresql://")) {
      try (SsotStore store = ProviderRegistry.load().ssotStore(args[0])) {
        ((SsotDocumentStore) store).importDocument(wideSeed(), true);
      }
      System.out.println(args[0]);
      return;
    }
    System.out.println(writeWideSeed(Path.of(args[0])));
  }
}
