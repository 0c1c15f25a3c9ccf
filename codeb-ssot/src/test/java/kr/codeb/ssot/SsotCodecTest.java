package kr.codeb.ssot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.InvalidRequestException;
import kr.codeb.model.Environment;
import kr.codeb.model.ProjectName;
import kr.codeb.model.Slot;
import kr.codeb.ports.Allocation;
import kr.codeb.ports.PortRange;
import kr.codeb.ports.ProjectEntry;
import kr.codeb.ports.Registry;
import kr.codeb.ports.SlotPorts;
import kr.codeb.ssot.internal.SsotCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SsotCodecTest {
  private static final Environment PROD = Environment.of("production");
  private final SsotCodec codec = new SsotCodec("ssot.json");
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void readsTheSeed() {
    Registry r = codec.read(Seeds.seed());
    assertEquals("7.0.0", r.version());
    assertEquals(List.of("system", "production", "staging", "preview"),
        r.portRanges().keySet().stream().map(Environment::name).toList());
    assertEquals(new PortRange(4100, 4499), r.portRanges().get(PROD));
    assertEquals(new PortRange(5000, 5499), r.portRanges().get(Environment.of("preview")));
    assertEquals(List.of("worb", "vsvs-kr"),
        r.projects().keySet().stream().map(ProjectName::value).toList());
    assertEquals(Optional.of(new SlotPorts(4102, 4103)), r.ports(ProjectName.of("vsvs-kr"), PROD));
    assertEquals(List.of(4100, 4101, 4102, 4103), List.copyOf(r.allocations().keySet()));
    Allocation a4101 = r.allocation(4101).orElseThrow();
    assertEquals(ProjectName.of("w-homepage-react"), a4101.project());
    assertEquals(Slot.BLUE, a4101.slot());
    assertEquals(Optional.empty(), a4101.environment());
    assertTrue(r.extensions().isEmpty());
    assertEquals(SsotCodec.revision(Seeds.seed()), r.revision());
    assertEquals(16, r.revision().value().length());
  }

  @Test
  void unchangedWriteParsesToTheSameTreeAndIsByteIdenticalForItsOwnOutput() throws Exception {
    byte[] seed = Seeds.seed();
    byte[] once = codec.write(seed, codec.read(seed));
    assertEquals(json.readTree(seed), json.readTree(once));
    byte[] twice = codec.write(once, codec.read(once));
    assertArrayEquals(once, twice);
    String text = new String(once, StandardCharsets.UTF_8);
    assertTrue(text.endsWith("}\n"), text);
    assertTrue(text.contains("\n  \"version\": \"7.0.0\",\n"), text);
  }

  @Test
  void rewriteReturnsWhatAReadOfItsBytesGivesForEveryNumberType() {
    byte[] seed = Seeds.seed();
    Map<String, Object> ext = new java.util.LinkedHashMap<>();
    ext.put("int", 7);
    ext.put("smallLong", 7L);
    ext.put("bigLong", 1L << 40);
    ext.put("hugeInteger", java.math.BigInteger.TEN.pow(30));
    ext.put("double", 1.5d);
    ext.put("wholeDouble", 2.0d);
    ext.put("float", 0.25f);
    ext.put("scaledDecimal", new BigDecimal("1.50"));
    ext.put("wholeDecimal", new BigDecimal("42"));
    ext.put("exponentDecimal", new BigDecimal("1E+3"));
    ext.put("nested", Map.of("list", List.of(1L, 2.5d, "x", true)));
    Registry changed = codec.read(seed).withExtensions(ext)
        .withoutAllocation(4100);

    SsotCodec.Encoded encoded = codec.rewrite(codec.decode(seed), changed);

    Registry reread = codec.read(encoded.bytes());
    assertEquals(reread, encoded.registry());
    assertEquals(reread.extensions(), encoded.registry().extensions());
    assertArrayEquals(codec.write(seed, changed), encoded.bytes());
    assertEquals(Integer.valueOf(7), reread.extensions().get("smallLong"));
    assertEquals(new BigDecimal("1.50"), reread.extensions().get("scaledDecimal"));
  }

  @Test
  void nonFiniteNumbersAreRefusedWhenTheModelIsBuilt() {
    Registry seed = codec.read(Seeds.seed());
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> seed.withExtensions(Map.of("ratio", Double.NaN)));
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
  }

  @Test
  void rewriteRefusesAFormatVersionItDoesNotWrite() {
    Registry seed = codec.read(Seeds.seed());
    Registry future = new Registry("8.0.0", seed.portRanges(), seed.projects(),
        seed.allocations(), seed.extensions(), seed.revision());
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> codec.rewrite(codec.decode(Seeds.seed()), future));
    assertTrue(e.getMessage().contains("'8.0.0'") && e.getMessage().contains("7."),
        e.getMessage());
  }

  @Test
  void freshDocumentHasTheFormatOrderAndWritesEnvironments() throws Exception {
    Registry r = Registry.of(Map.of(PROD, new PortRange(4100, 4499)))
        .withProject(ProjectEntry.of(ProjectName.of("app")).withPorts(PROD, new SlotPorts(4100, 4101)))
        .withAllocation(Allocation.of(4100, ProjectName.of("app"), Slot.BLUE, PROD));
    byte[] out = codec.write(null, r);
    JsonNode tree = json.readTree(out);
    assertEquals(List.of("version", "portRanges", "projects", "ports"), keys(tree));
    assertEquals("production", tree.at("/ports/allocated/4100/environment").asText());
    assertTrue(codec.read(out).sameContent(r));
  }

  @Test
  void extensionsKeepTheirValuesAndNumbersStayNumbers() {
    String doc = Seeds.seedWith("\"version\": \"7.0.0\",",
        "\"version\": \"7.0.0\", \"updatedAt\": \"2026-01-13\", \"ratio\": 1.50,"
            + " \"big\": 12345678901234, \"tags\": [1, \"x\", null, true], \"meta\": {\"a\": {}}, ");
    Registry r = codec.read(doc.getBytes(StandardCharsets.UTF_8));
    assertEquals("2026-01-13", r.extensions().get("updatedAt"));
    assertEquals(new BigDecimal("1.50"), r.extensions().get("ratio"));
    assertEquals(12345678901234L, r.extensions().get("big"));
    assertEquals(java.util.Arrays.asList(1, "x", null, true), r.extensions().get("tags"));
    String out = new String(codec.write(doc.getBytes(StandardCharsets.UTF_8), r),
        StandardCharsets.UTF_8);
    assertTrue(out.contains("\"ratio\": 1.50,"), out);
    assertTrue(out.contains("\"big\": 12345678901234,"), out);
  }

  @Test
  void removedThingsGoAndChangedExtensionsAreReplaced() throws Exception {
    byte[] seed = Seeds.seed();
    Registry r = codec.read(seed).withoutProject(ProjectName.of("worb")).withoutAllocation(4100)
        .withExtensions(Map.of("note", "hi"));
    JsonNode tree = json.readTree(codec.write(seed, r));
    assertFalse(tree.at("/projects").has("worb"));
    assertFalse(tree.at("/ports/allocated").has("4100"));
    assertEquals(List.of("version", "portRanges", "projects", "ports", "note"), keys(tree));
  }

  @Test
  void refusesAnExtensionThatUsesAReservedKey() {
    Registry r = codec.read(Seeds.seed()).withExtensions(Map.of("projects", "x"));
    InvalidRequestException e =
        assertThrows(InvalidRequestException.class, () -> codec.write(Seeds.seed(), r));
    assertTrue(e.getMessage().contains("'projects'"), e.getMessage());
  }

  @Test
  void missingSectionsAreEmpty() {
    Registry r = codec.read("{\"version\": \"7.0.0\"}".getBytes(StandardCharsets.UTF_8));
    assertTrue(r.portRanges().isEmpty());
    assertTrue(r.projects().isEmpty());
    assertTrue(r.allocations().isEmpty());
    Registry r2 = codec.read("{\"version\": \"7.0.0\", \"ports\": {}}".getBytes(StandardCharsets.UTF_8));
    assertTrue(r2.allocations().isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kr.codeb.ssot.Seeds#brokenFiles")
  void refusesStructuralErrorsNamingFileAndPlace(String name, String content, String place) {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> codec.read(content.getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().startsWith("ssot.json: "), e.getMessage());
    assertTrue(e.getMessage().contains(place), () -> "expected '" + place + "' in: " + e.getMessage());
  }

  @Test
  void messagesSayWhatIsAllowed() {
    assertMessage(Seeds.seedWith("\"slot\": \"green\"", "\"slot\": \"red\""), "allowed are blue, green");
    assertMessage(Seeds.seedWith("\"blue\": 4102", "\"blue\": 70000"), "outside 1-65535");
    assertMessage(Seeds.seedWith("\"start\": 4500", "\"start\": \"abc\""), "found a string");
    assertMessage(Seeds.seedWith("\"worb\": {", "\"Acme\": {"), "lowercase letters");
    assertMessage(Seeds.seedWith("\"4103\":", "\"abc\":"), "port numbers 1-65535");
    assertMessage(Seeds.seedWith("{ \"start\": 4500, \"end\": 4999 }",
        "{ \"start\": 4999, \"end\": 4500 }"), "start must be <= end");
  }

  private void assertMessage(String doc, String expected) {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> codec.read(doc.getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    node.properties().forEach(e -> keys.add(e.getKey()));
    return keys;
  }

  @Test
  void anEnvironmentWrittenAsNullMeansNone() {
    Registry r = codec.read(Seeds.seedWith("\"4100\": { \"project\": \"worb\", \"slot\": \"blue\" }",
        "\"4100\": { \"project\": \"worb\", \"slot\": \"blue\", \"environment\": null }")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    org.junit.jupiter.api.Assertions.assertEquals(java.util.Optional.empty(),
        r.allocation(4100).orElseThrow().environment());
  }
}
