package kr.codeb.mcp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a client outside this JVM starts {@code we mcp} from this build: {@code java -cp <the
 * test class path> kr.codeb.cli.Main mcp}, the same entry point as {@code bin/we}. Optionally
 * through {@code bash}, so that every byte the server writes to stdout and stderr is also kept
 * in files ({@code tee}).
 */
final class McpServerProcess {
  private McpServerProcess() {}

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static String classPath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  /** The command and its arguments. */
  static List<String> command() {
    return List.of(java(), "-cp", classPath(), "kr.codeb.cli.Main", "mcp");
  }

  /** The same, with stdout copied to {@code stdoutCopy} and stderr written to {@code stderr}. */
  static List<String> recordedCommand(Path stdoutCopy, Path stderr) {
    List<String> c = new ArrayList<>(List.of("bash", "-c",
        "set -o pipefail; \"$@\" 2>>\"$STDERR_FILE\" | tee -a \"$STDOUT_FILE\"", "we-mcp"));
    c.addAll(command());
    return c;
  }

  /** The server's environment: the given variables plus what a JVM needs. */
  static Map<String, String> environment(Map<String, String> vars) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : List.of("PATH", "HOME", "LANG")) {
      String v = System.getenv(name);
      if (v != null) {
        env.put(name, v);
      }
    }
    env.put("CODEB_DAEMON", "off");
    env.putAll(vars);
    return env;
  }
}
