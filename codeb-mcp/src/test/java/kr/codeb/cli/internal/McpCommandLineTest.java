package kr.codeb.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import kr.codeb.cli.Main;
import org.junit.jupiter.api.Test;

/**
 * {@code we mcp} as the command line sees it with codeb-mcp on the class path: listed by
 * {@code we --help}, with its own help, and never handed to the daemon (it reads stdin and runs
 * for as long as its client). In the CLI's package: the decision is package-private there.
 */
class McpCommandLineTest {
  private static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), name -> null);
    return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void weHelpListsMcpAndMcpHasItsOwnHelp() {
    String[] help = run("--help");
    assertEquals("0", help[0]);
    assertTrue(help[1].matches(
        "(?s).*\\n +mcp +Serve CodeB's operations as MCP tools over stdio\\..*"), help[1]);
    String[] mcpHelp = run("mcp", "--help");
    assertEquals("0", mcpHelp[0]);
    assertTrue(mcpHelp[1].contains("Usage: we mcp"), mcpHelp[1]);
    assertTrue(mcpHelp[1].contains("--config"), "the global options apply: " + mcpHelp[1]);
  }

  @Test
  void onlyTheExtensionsLinesStayOffTheDaemon() {
    assertTrue(Cli.namesExtension(new String[] {"mcp"}));
    assertTrue(Cli.namesExtension(new String[] {"--ssot", "x.json", "--json", "mcp"}));
    assertFalse(Cli.namesExtension(new String[] {"ssot", "show"}));
    assertFalse(Cli.namesExtension(new String[] {"no-such-command"}));
    assertFalse(Cli.namesExtension(new String[] {"--help"}));
    assertFalse(Cli.namesExtension(new String[] {"--", "mcp"}));
  }

  @Test
  void aBadConfigFileIsRefusedBeforeTheServerStarts() {
    String[] r = run("--config", "/nonexistent/codeb.yaml", "mcp");
    assertEquals("2", r[0], r[2]);
    assertTrue(r[2].contains("codeb.yaml"), r[2]);
    assertEquals("", r[1], "nothing on stdout");
  }
}
