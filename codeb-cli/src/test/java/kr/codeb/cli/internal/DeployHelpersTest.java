package kr.codeb.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kr.codeb.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.TypeConversionException;

/** Durations, env files and the progress printer. */
class DeployHelpersTest {
  @TempDir Path dir;

  @Test
  void durations() {
    assertEquals(Duration.ofMillis(500), DurationConverter.parse("500ms"));
    assertEquals(Duration.ofSeconds(60), DurationConverter.parse("60s"));
    assertEquals(Duration.ofMinutes(2), DurationConverter.parse("2m"));
    assertEquals(Duration.ofHours(1), DurationConverter.parse("1h"));
    assertEquals(Duration.ZERO, DurationConverter.parse("0"));
    assertEquals(Duration.ZERO, DurationConverter.parse("0s"));
    for (String bad : List.of("", "5", "5x", "-1s", "1.5s", "s", "10 s", "9999999999s")) {
      TypeConversionException e = assertThrows(TypeConversionException.class,
          () -> DurationConverter.parse(bad), bad);
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void envFile() throws IOException {
    Path file = dir.resolve("app.env");
    Files.writeString(file, "# comment\n\nA=1\nexport B = two words \nC=\"quoted # not a"
        + " comment\"\nD='x'\nE=\nF=a=b\n");
    Map<String, String> vars = EnvVars.readFile(file);
    assertEquals(Map.of("A", "1", "B", "two words", "C", "quoted # not a comment", "D", "x",
        "E", "", "F", "a=b"), vars);
    assertEquals(List.of("A", "B", "C", "D", "E", "F"), List.copyOf(vars.keySet()));
  }

  @Test
  void aBadEnvFileLineIsNamedWithoutItsContent() throws IOException {
    Path file = dir.resolve("bad.env");
    for (String bad : List.of("hunter2-token", "1KEY=hunter2-token", "MY KEY=hunter2-token",
        "=hunter2-token")) {
      Files.writeString(file, "OK=1\n# c\n" + bad + "\n");
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> EnvVars.readFile(file));
      assertTrue(e.getMessage().contains(file + " line 3"), e.getMessage());
      assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }
  }

  @Test
  void optionsWinOverTheFileAndBadOnesHideTheirValue() {
    Map<String, String> vars = new LinkedHashMap<>(Map.of("A", "file"));
    EnvVars.addOptions(vars, List.of("A=option", "B=x=y"));
    assertEquals(Map.of("A", "option", "B", "x=y"), vars);
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> EnvVars.addOptions(new LinkedHashMap<>(), List.of("OK=1", "hunter2")));
    assertTrue(e.getMessage().contains("-e #2"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void plainProgressIsOneLinePerStepAndThrottledAttempts() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressPrinter p = new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8),
        false);
    p.step("replacing acme-production-blue");
    for (int i = 1; i <= 20; i++) {
      p.healthAttempt(i, Duration.ofMillis(100L * i), "connection refused");
    }
    p.healthAttempt(21, Duration.ofMillis(2100), "HTTP 200");
    p.finish();
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertFalse(text.contains("\r"), text);
    assertEquals(List.of("we: replacing acme-production-blue",
        "  health attempt 1 after 100 ms: connection refused",
        "  health attempt 21 after 2.1 s: HTTP 200"), text.lines().toList());
  }

  @Test
  void terminalProgressRedrawsOneLine() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressPrinter p = new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8),
        true);
    p.step("replacing acme-production-blue with a-long-image-name:1");
    p.healthAttempt(3, Duration.ofMillis(300), "HTTP 503");
    p.finish();
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("\rwe: replacing"), text);
    assertTrue(text.contains("\rwe: health attempt 3 after 300 ms: HTTP 503 "), text);
    assertEquals(1, text.chars().filter(c -> c == '\n').count(), text);
    assertTrue(text.endsWith("\n"), text);
  }
}
