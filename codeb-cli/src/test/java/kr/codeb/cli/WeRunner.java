package kr.codeb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Runs {@code we} in-process through {@link Main#run} and captures what it printed. */
final class WeRunner {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private WeRunner() {}

  record Result(int code, String out, String err) {
    JsonNode json() {
      return parse(out, "stdout");
    }

    JsonNode errorJson() {
      return parse(err, "stderr");
    }

    private JsonNode parse(String text, String what) {
      try {
        return MAPPER.readTree(text);
      } catch (IOException e) {
        return fail(what + " is not JSON: " + text + "\nstderr: " + err);
      }
    }

    Result expect(int expectedCode) {
      assertEquals(expectedCode, code, () -> "exit code; stdout:\n" + out + "\nstderr:\n" + err);
      return this;
    }
  }

  static Result run(String... args) {
    return run(Map.of(), args);
  }

  static Result run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(args, o, e, env::get);
    }
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The seed's SSOT (from the user's write-up), as bytes. */
  static byte[] seedBytes() {
    return kr.codeb.testkit.SeedData.ssotBytes();
  }

  /** Writes the seed into dir/name and returns the path. */
  static Path seedCopy(Path dir, String name) {
    return write(dir.resolve(name), seedBytes());
  }

  static Path write(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a file only its owner may read or write (mode 0600), as env files must be. */
  static Path writePrivate(Path file, byte[] bytes) {
    write(file, bytes);
    try {
      Files.setPosixFilePermissions(file,
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode tree(Path file) {
    try {
      return MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Asserts every field and value of {@code old} is in {@code now} (arrays must be equal). */
  static void assertSubset(JsonNode old, JsonNode now, String path) {
    if (old.isObject()) {
      assertTrue(now.isObject(), path + " is no longer an object: " + now);
      for (Map.Entry<String, JsonNode> field : old.properties()) {
        JsonNode there = now.get(field.getKey());
        assertTrue(there != null, path + "." + field.getKey() + " was lost");
        assertSubset(field.getValue(), there, path + "." + field.getKey());
      }
    } else {
      assertEquals(old, now, path);
    }
  }
}
