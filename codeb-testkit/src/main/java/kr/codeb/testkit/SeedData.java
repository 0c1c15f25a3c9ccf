package kr.codeb.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The user's own data, shipped with the project: the SSOT file exactly as the fleet's servers
 * hold it today (with its known conflict on port 4101 and the orphaned w-homepage-react record).
 */
public final class SeedData {
  private static final String SSOT = "seed-ssot.json";

  private SeedData() {}

  /** The seed's SSOT file, byte for byte. */
  public static byte[] ssotBytes() {
    try (InputStream in = SeedData.class.getResourceAsStream(SSOT)) {
      if (in == null) {
        throw new IllegalStateException("seed-ssot.json missing from codeb-testkit's resources");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a fresh copy of the seed's SSOT file into {@code dir} and returns its path. */
  public static Path copySsotTo(Path dir) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("ssot.json");
      Files.write(file, ssotBytes());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
