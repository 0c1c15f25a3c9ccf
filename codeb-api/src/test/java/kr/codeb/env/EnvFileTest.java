package kr.codeb.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import kr.codeb.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvFileTest {
  private static final String SECRET = "s3cr3t-Value";

  @Test
  void roundTripKeepsEveryValueExactly() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("PLAIN", "postgresql://app:pw@10.0.0.2:5432/app");
    values.put("EMPTY", "");
    values.put("SPACES", "  a b  ");
    values.put("QUOTES", "it's \"quoted\" '' \\' end'");
    values.put("NEWLINES", "line1\nline2\r\n\nline4\n");
    values.put("SHELL", "$HOME `id` $(rm -rf /) ; | & > < * ? [ ] ~ ! # \\");
    values.put("UNICODE", "비밀번호 ✓ \u00e9\u2028\t");
    values.put("HASH", "#not-a-comment");
    EnvFile file = new EnvFile(values);
    EnvFile back = EnvFile.parse(file.render());
    assertEquals(values, back.values());
    assertEquals(List.copyOf(values.keySet()), List.copyOf(back.keys()));
  }

  @Test
  void randomValuesRoundTrip() {
    Random random = new Random(42);
    for (int i = 0; i < 2000; i++) {
      StringBuilder v = new StringBuilder();
      int n = random.nextInt(30);
      for (int j = 0; j < n; j++) {
        int c = random.nextInt(4) == 0 ? 1 + random.nextInt(0x7f) : 1 + random.nextInt(0xd7ff);
        v.append((char) c);
      }
      EnvFile file = new EnvFile(Map.of("K", v.toString()));
      assertEquals(v.toString(), EnvFile.parse(file.render()).get("K").orElseThrow(), "case " + i);
    }
  }

  @Test
  void bareValuesStayUnquotedAndTheFileIsShellSourceable() {
    String text = new String(new EnvFile(Map.of("A", "x-1.2:3/4@5%6+7,8_9")).render(),
        StandardCharsets.UTF_8);
    assertTrue(text.contains("\nA=x-1.2:3/4@5%6+7,8_9\n"), text);
    String quoted = new String(new EnvFile(Map.of("B", "it's")).render(), StandardCharsets.UTF_8);
    assertTrue(quoted.contains("\nB='it'\\''s'\n"), quoted);
  }

  @Test
  void parsesCommentsBlankLinesExportAndCrlf() {
    EnvFile file = EnvFile.parse("# c\n\nexport A=1\r\nB='x y'\n  # indented comment\nA=2\n"
        .getBytes(StandardCharsets.UTF_8));
    assertEquals(Map.of("A", "2", "B", "x y"), file.values());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1ABC", "A=B", "A B", "lower", "", "A-B", "A.B", "\u00c4"})
  void badKeysAreRefusedNamingTheRule(String key) {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> EnvFile.EMPTY.with(Map.of(key, "v")));
    assertTrue(e.getMessage().contains("[A-Z_][A-Z0-9_]*"), e.getMessage());
  }

  @Test
  void nulIsRefusedWithoutShowingTheValue() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> EnvFile.EMPTY.with(Map.of("K", SECRET + "\0")));
    assertTrue(e.getMessage().contains("NUL") && e.getMessage().contains("K"), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET));
  }

  @ParameterizedTest
  @ValueSource(strings = {"A=it's\n", "A='open\n", "no equals\n", "1A=x\n", "A=a b\n",
      "  A=1\n", "A=\"dq\"\n"})
  void malformedFilesNameTheLineNeverTheValue(String text) {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> EnvFile.parse(("# header\n" + text).getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().startsWith("env file line 2"), e.getMessage());
  }

  @Test
  void notUtf8IsRefused() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> EnvFile.parse(new byte[] {'A', '=', (byte) 0xff, '\n'}));
    assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
  }

  @Test
  void toStringNamesKeysOnly() {
    EnvFile file = new EnvFile(Map.of("DATABASE_URL", SECRET));
    assertEquals("EnvFile[DATABASE_URL]", file.toString());
  }

  @Test
  void diffNamesKeysAndHashIgnoresOrder() {
    EnvFile a = new EnvFile(Map.of("A", "1", "B", "2", "C", "3"));
    EnvFile b = a.with(Map.of("B", "changed", "D", "4")).without(Set.of("C", "ZZ"));
    EnvFile.Diff diff = a.diff(b);
    assertEquals(Set.of("D"), diff.added());
    assertEquals(Set.of("B"), diff.changed());
    assertEquals(Set.of("C"), diff.removed());
    assertTrue(a.diff(a).isEmpty());
    Map<String, String> reversed = new LinkedHashMap<>();
    reversed.put("C", "3");
    reversed.put("B", "2");
    reversed.put("A", "1");
    assertEquals(a.hash(), new EnvFile(reversed).hash());
    assertNotEquals(a.hash(), b.hash());
    assertTrue(a.hash().matches("sha256:[0-9a-f]{64}"));
  }
}
