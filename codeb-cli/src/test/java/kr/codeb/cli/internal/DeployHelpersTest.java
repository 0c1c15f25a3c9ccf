package kr.codeb.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** Durations and the progress printer. */
class DeployHelpersTest {
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
