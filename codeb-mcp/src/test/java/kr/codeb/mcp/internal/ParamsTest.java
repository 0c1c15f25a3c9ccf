package kr.codeb.mcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import kr.codeb.model.ProjectName;
import org.junit.jupiter.api.Test;

/** Bad arguments are refused by field, saying what is allowed, and never quote a value. */
class ParamsTest {
  private static final List<String> FIELDS = List.of("project", "port", "env", "slot", "on");

  private static String refusal(Runnable r) {
    return assertThrows(ToolInputException.class, r::run).getMessage();
  }

  @Test
  void anUnknownFieldIsNamedWithTheFieldsTheToolHas() {
    String m = refusal(() -> new Params(Map.of("prot", 1), FIELDS));
    assertEquals("field 'prot': unknown field; the fields of this tool are project, port, env,"
        + " slot, on", m);
  }

  @Test
  void aMissingRequiredFieldSaysWhatIsAllowed() {
    String m = refusal(() -> new Params(Map.of(), FIELDS).string("project", "a project name"));
    assertEquals("field 'project': required; a project name", m);
  }

  @Test
  void wrongTypesAndRangesAreRefused() {
    Params p = new Params(Map.of("port", 70000, "on", "yes", "env", List.of("A=1", 2),
        "slot", "purple"), FIELDS);
    assertTrue(refusal(() -> p.integer("port", 1, 1, 65535)).contains("from 1 to 65535"));
    assertTrue(refusal(() -> p.bool("on", false)).contains("true or false"));
    assertTrue(refusal(() -> p.strings("env", "KEY=VALUE")).startsWith("field 'env': item 2"));
    assertTrue(refusal(() -> p.oneOf("slot", List.of("blue", "green")))
        .endsWith("must be one of blue, green"));
    assertTrue(refusal(() -> new Params(Map.of("port", 1.5), FIELDS).integer("port", 1, 1, 9))
        .contains("whole number"));
  }

  @Test
  void aSecretValueIsNeverQuotedBack() {
    String secret = "s3cr3t-value";
    String m = refusal(() -> new Params(Map.of("env", List.of(secret, 5)), FIELDS)
        .strings("env", "KEY=VALUE"));
    assertFalse(m.contains(secret), m);
  }

  @Test
  void theLibrarysOwnCheckIsPrefixedWithTheField() {
    String m = refusal(() -> Params.checked("project", "Bad!", ProjectName::new));
    assertTrue(m.startsWith("field 'project': invalid project name"), m);
  }

  @Test
  void defaultsApplyWhenAbsent() {
    Params p = new Params(null, FIELDS);
    assertEquals(8080, p.integer("port", 8080, 1, 65535));
    assertFalse(p.bool("on", false));
    assertEquals(List.of(), p.strings("env", ""));
  }
}
