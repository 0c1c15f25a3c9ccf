package kr.codeb.workflow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlWriterTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Strings YAML reads as something else, or that hold its indicators, must come back as is. */
  @Test
  void everyStringReadsBackAsTheSameString() throws Exception {
    List<String> tricky = List.of("on", "yes", "No", "null", "~", "true", "123", "1.5", "-3",
        ".inf", "0x1F", "a: b", "a #b", "#c", "'q'", "\"d\"", "- item", "[x]", "{y}", "*ref",
        "&anchor", "!tag", "%dir", "@at", "`tick`", "x:", "trailing ", " leading", "",
        "${{ secrets.X }}", "${{ !cancelled() }}", "deploy acme (production)", "|pipe", ">gt",
        "?q", "a\tb", "one\ntwo\n", "no newline\nat end", " indented\nblock\n",
        "kept\n\n", "$HOME", "ghcr.io/acme/web@sha256:ab", "path/to/Dockerfile", ".");
    Map<String, Object> root = new LinkedHashMap<>();
    for (int i = 0; i < tricky.size(); i++) {
      root.put("k" + i, tricky.get(i));
    }
    root.put("list", tricky);
    root.put("items", List.of(Map.of("name", "on"), Map.of("run", "x\n")));
    String text = YamlWriter.write(List.of("a comment"), root);
    Map<?, ?> back = YAML.readValue(text, Map.class);
    for (int i = 0; i < tricky.size(); i++) {
      assertEquals(tricky.get(i), back.get("k" + i), "k" + i + " in\n" + text);
    }
    assertEquals(tricky, back.get("list"), text);
    assertEquals(List.of(Map.of("name", "on"), Map.of("run", "x\n")), back.get("items"));
    assertTrue(text.startsWith("# a comment\n"), text);
  }

  @Test
  void theSameTreeIsTheSameText() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("b", List.of("x", Map.of("c", true)));
    a.put("empty", Map.of());
    String first = YamlWriter.write(List.of(), a);
    assertEquals(first, YamlWriter.write(List.of(), a));
    assertEquals("b:\n  - x\n  - c: true\nempty: {}\n", first);
  }

  @Test
  void plainOnlyWhenSafe() {
    assertTrue(YamlWriter.isPlain("ubuntu-latest"));
    assertTrue(YamlWriter.isPlain("${{ needs.build.outputs.image }}"));
    assertFalse(YamlWriter.isPlain("on"));
    assertFalse(YamlWriter.isPlain("30"));
    assertFalse(YamlWriter.isPlain("a: b"));
  }

  @Test
  void controlCharactersAndBadKeysAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> YamlWriter.write(List.of(), Map.of("k", "a\u0000b")));
    assertThrows(IllegalArgumentException.class,
        () -> YamlWriter.write(List.of(), Map.of("a key", "v")));
  }
}
