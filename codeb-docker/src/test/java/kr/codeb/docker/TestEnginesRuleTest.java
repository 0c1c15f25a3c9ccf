package kr.codeb.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import kr.codeb.tck.TestEngines;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The one rule for missing engines: fail under CI=true, skip elsewhere. */
class TestEnginesRuleTest {
  @Test
  void aSetVariableIsReturned() {
    assertEquals("x", TestEngines.require("CODEB_TEST_X", Map.of("CODEB_TEST_X", "x")::get));
  }

  @Test
  void aMissingVariableFailsUnderCi() {
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> TestEngines.require("CODEB_TEST_X", Map.of("CI", "true")::get));
    assertTrue(e.getMessage().contains("CODEB_TEST_X"), e.getMessage());
  }

  @Test
  void aMissingOrBlankVariableSkipsElsewhere() {
    TestAbortedException e = assertThrows(TestAbortedException.class,
        () -> TestEngines.require("CODEB_TEST_X", Map.of("CODEB_TEST_X", " ")::get));
    assertTrue(e.getMessage().contains("CODEB_TEST_X is not set"), e.getMessage());
    assertThrows(TestAbortedException.class,
        () -> TestEngines.require("CODEB_TEST_X", Map.of("CI", "false")::get));
  }
}
