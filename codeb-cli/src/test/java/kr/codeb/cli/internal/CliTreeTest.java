package kr.codeb.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The lazily built command tree: names agree with the commands, a line builds only its path. */
class CliTreeTest {
  private static final PrintStream NOWHERE = new PrintStream(new ByteArrayOutputStream(), true,
      StandardCharsets.UTF_8);

  private static Session session() {
    return new Session(NOWHERE, NOWHERE, name -> null, java.nio.file.Path.of(""), false);
  }

  @Test
  void everyNameInTheTreeIsTheNameItsCommandDeclares() {
    CommandLine full = Cli.commandLine(session());
    List<String> mismatches = new ArrayList<>();
    walk(full, "", mismatches);
    assertEquals(List.of(), mismatches);
    assertEquals(List.of("ssot", "audit", "db", "env", "init", "destroy", "deploy", "slot",
        "promote", "rollback", "health", "logs", "exec", "maintenance", "routes", "firewall", "fleet", "doctor", "domain",
        "lock", "daemon", "workflow", "completion"),
        List.copyOf(full.getSubcommands().keySet()));
  }

  @Test
  void everyCommandHasAOneLineSummaryThatHelpShowsWhole() {
    List<String> problems = new ArrayList<>();
    summaries(Cli.commandLine(session()), "we", problems);
    assertEquals(List.of(), problems);
    String help = Cli.commandLine(session()).getUsageMessage();
    for (CommandLine sub : Cli.commandLine(session()).getSubcommands().values()) {
      String header = sub.getCommandSpec().usageMessage().header()[0];
      assertTrue(help.contains(" " + header + "\n") || help.contains(" " + header + System.lineSeparator()),
          "we --help shows the summary of " + sub.getCommandName() + " on one line:\n" + help);
    }
  }

  /** Each header: one sentence of at most 66 characters (the width the command list leaves). */
  private static void summaries(CommandLine line, String where, List<String> problems) {
    String[] header = line.getCommandSpec().usageMessage().header();
    if (header.length != 1 || header[0].length() > 66 || !header[0].endsWith(".")) {
      problems.add(where + ": " + List.of(header));
    }
    line.getSubcommands().forEach((name, sub) -> summaries(sub, where + " " + name, problems));
  }

  @Test
  void completionCoversEveryCommandAndOption() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Cli.run(new String[] {"completion"}, new PrintStream(out, true, StandardCharsets.UTF_8),
        NOWHERE, name -> null);
    String script = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code);
    assertTrue(script.contains("complete -F _complete_we"), script.lines().limit(5).toList().toString());
    for (String word : List.of("ssot", "allocate", "deploy", "--image", "--health-timeout",
        "firewall", "revoke", "daemon", "--json", "--ssot")) {
      assertTrue(script.contains(word), "the script completes " + word);
    }
  }

  private static void walk(CommandLine line, String where, List<String> mismatches) {
    line.getSubcommands().forEach((name, sub) -> {
      String declared = sub.getCommandSpec().userObject().getClass()
          .getAnnotation(CommandLine.Command.class).name();
      if (!declared.equals(name)) {
        mismatches.add(where + name + " makes a command named " + declared);
      }
      walk(sub, where + name + " ", mismatches);
    });
  }

  static List<Arguments> lines() {
    return List.of(
        Arguments.of("ssot show", List.of("ssot", "show")),
        Arguments.of("--json ssot show", List.of("ssot", "show")),
        Arguments.of("--ssot /x/ssot.json ssot --json check", List.of("ssot", "check")),
        Arguments.of("--ssot=/x ssot allocate app --env production",
            List.of("ssot", "allocate")),
        Arguments.of("ssot --help", List.of("ssot")),
        Arguments.of("ssot nope", List.of("ssot")),
        Arguments.of("ssot", List.of("ssot")),
        Arguments.of("deploy app --env production", List.of("deploy")),
        Arguments.of("lock show app", List.of("lock", "show")),
        Arguments.of("firewall allow --group g", List.of("firewall", "allow")),
        Arguments.of("domain list", List.of("domain", "list")),
        Arguments.of("--help", List.of()),
        Arguments.of("--version", List.of()),
        Arguments.of("nope ssot", List.of()),
        Arguments.of("-- ssot show", List.of()),
        Arguments.of("", List.of()));
  }

  @ParameterizedTest(name = "we {0}")
  @MethodSource("lines")
  void aLineBuildsOnlyThePathItNames(String line, List<String> expected) {
    String[] args = line.isEmpty() ? new String[0] : line.split(" ");
    assertEquals(expected, Cli.path(args));
  }

  @Test
  void aPathBuildsThatBranchOnly() {
    CommandLine we = Cli.commandLine(session(), List.of("ssot", "show"));
    assertEquals(List.of("ssot"), List.copyOf(we.getSubcommands().keySet()));
    assertEquals(List.of("show"),
        List.copyOf(we.getSubcommands().get("ssot").getSubcommands().keySet()));
    CommandLine group = Cli.commandLine(session(), List.of("lock"));
    assertEquals(List.of("show", "break"),
        List.copyOf(group.getSubcommands().get("lock").getSubcommands().keySet()));
  }
}
