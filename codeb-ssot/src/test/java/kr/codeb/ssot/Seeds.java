package kr.codeb.ssot;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Test documents: the seed's SSOT, and one structurally broken file per rule. */
final class Seeds {
  private Seeds() {}

  static byte[] seed() {
    return kr.codeb.testkit.SeedData.ssotBytes();
  }

  static String seedText() {
    return new String(seed(), StandardCharsets.UTF_8);
  }

  /** A seed with one piece of text replaced (the piece must occur exactly once). */
  static String seedWith(String from, String to) {
    String seed = seedText();
    if (seed.indexOf(from) < 0 || seed.indexOf(from) != seed.lastIndexOf(from)) {
      throw new IllegalArgumentException("not exactly once in the seed: " + from);
    }
    return seed.replace(from, to);
  }

  /** name, file content, text the message must contain (the place). */
  static Stream<Arguments> brokenFiles() {
    String seed = seedText();
    return List.of(
        Arguments.of("malformed", "{\"version\": \"7.0.0\", \"portRanges\": {,}}", "line 1, column"),
        Arguments.of("truncated", seed.substring(0, seed.length() / 2), "line "),
        Arguments.of("empty", "", "line 1, column 1"),
        Arguments.of("blank", "  \n", "line 1, column 1"),
        Arguments.of("not-an-object", "[1, 2]", "$:"),
        Arguments.of("no-version", seedWith("\"version\": \"7.0.0\",", ""), "'version'"),
        Arguments.of("range-start-after-end",
            seedWith("{ \"start\": 4500, \"end\": 4999 }", "{ \"start\": 4999, \"end\": 4500 }"),
            "$.portRanges.staging"),
        Arguments.of("range-missing-end",
            seedWith("{ \"start\": 4500, \"end\": 4999 }", "{ \"start\": 4500 }"),
            "$.portRanges.staging"),
        Arguments.of("start-abc", seedWith("\"start\": 4500", "\"start\": \"abc\""),
            "$.portRanges.staging.start"),
        Arguments.of("port-70000", seedWith("\"blue\": 4102", "\"blue\": 70000"),
            "$.projects.vsvs-kr.ports.production.blue"),
        Arguments.of("port-0", seedWith("\"green\": 4101", "\"green\": 0"),
            "$.projects.worb.ports.production.green"),
        Arguments.of("missing-green", seedWith(", \"green\": 4103", ""),
            "$.projects.vsvs-kr.ports.production"),
        Arguments.of("ports-not-object",
            seedWith("{ \"ports\": { \"production\": { \"blue\": 4100, \"green\": 4101 } } }",
                "{ \"ports\": 4100 }"), "$.projects.worb.ports"),
        Arguments.of("slot-red", seedWith("\"slot\": \"green\"", "\"slot\": \"red\""),
            "$.ports.allocated.4103.slot"),
        Arguments.of("missing-project",
            seedWith("\"4100\": { \"project\": \"worb\", \"slot\": \"blue\" }",
                "\"4100\": { \"slot\": \"blue\" }"), "$.ports.allocated.4100"),
        Arguments.of("project-acme", seedWith("\"worb\": {", "\"Acme\": {"),
            "$.projects.Acme"),
        Arguments.of("environment-bad", seedWith("\"preview\":", "\"Pre view\":"),
            "$.portRanges['Pre view']"),
        Arguments.of("allocation-key-abc", seedWith("\"4103\":", "\"abc\":"),
            "$.ports.allocated.abc"),
        Arguments.of("duplicate-key", seedWith("\"staging\":", "\"production\":"),
            "($.portRanges.production): not valid JSON: a key appears twice"),
        Arguments.of("trailing-garbage", seed + "}", "line "),
        Arguments.of("newer-format", seedWith("\"version\": \"7.0.0\"", "\"version\": \"8.0.0\""),
            "$.version")).stream();
  }
}
