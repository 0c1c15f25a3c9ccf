package kr.codeb.testkit.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.runtime.ContainerSpec;
import kr.codeb.runtime.LogLine;

/**
 * What a command does in the mem: runtime: a tiny {@code sh -c} interpreter, just enough for
 * test scripts (see {@code MemContainerRuntime}'s class comment for what it understands).
 */
public final class MemShell {
  private MemShell() {}

  /** What a container's command does: a tiny {@code sh -c} interpreter, see the class comment. */
  public static Outcome interpret(ContainerSpec spec) {
    List<String> cmd = spec.command();
    if (cmd.size() < 3 || !isShell(cmd)) {
      return new Outcome(List.of(), Optional.empty());
    }
    List<LogLine> logs = new ArrayList<>();
    List<String> statements = Shell.statements(cmd.get(2));
    for (int s = 0; s < statements.size(); s++) {
      String statement = statements.get(s);
      List<String> words = Shell.words(statement, spec.env());
      boolean exec = !words.isEmpty() && words.get(0).equals("exec");
      if (exec) {
        words = words.subList(1, words.size());
      }
      boolean last = exec || s == statements.size() - 1;
      if (words.isEmpty()) {
        continue;
      }
      switch (words.get(0)) {
        case "echo" -> logs.add(echo(statement, words));
        case "exit" -> {
          return new Outcome(logs, Optional.of(exitCode(words)));
        }
        case "httpd", "/bin/httpd" -> {
          return new Outcome(logs, Optional.empty());
        }
        case "sleep", "/bin/sleep" -> {
          if (last) { // a sleep in the middle is over at once; at the end it runs "forever"
            return new Outcome(logs, Optional.empty());
          }
        }
        default -> {
          if (exec) { // the process replaces the shell and runs
            return new Outcome(logs, Optional.empty());
          }
          // not simulated: skipped
        }
      }
    }
    return new Outcome(logs, Optional.of(0));
  }

  /**
   * What a command run in a container does ({@code exec}): {@code sh -c SCRIPT} or one
   * statement; {@code echo} (to stderr with {@code >&2}), {@code exit N}, {@code true},
   * {@code false}, {@code sleep} (over at once) and {@code cat} (copies {@code stdin}) are
   * understood; any other program is "not found" (127).
   */
  public static ExecOutcome exec(List<String> command, Map<String, String> env, byte[] stdin) {
    List<String> statements = isShell(command) && command.size() >= 3
        ? Shell.statements(command.get(2)) : null;
    List<LogLine> out = new ArrayList<>();
    int status = 0;
    int count = statements == null ? 1 : statements.size();
    for (int s = 0; s < count; s++) {
      String statement = statements == null ? "" : statements.get(s);
      List<String> words = statements == null ? command : Shell.words(statement, env);
      if (!words.isEmpty() && words.get(0).equals("exec")) {
        words = words.subList(1, words.size());
      }
      if (words.isEmpty()) {
        continue;
      }
      switch (words.get(0)) {
        case "echo" -> {
          out.add(echo(statement, words));
          status = 0;
        }
        case "exit" -> {
          return new ExecOutcome(out, exitCode(words));
        }
        case "true", "sleep", "/bin/sleep" -> status = 0;
        case "false" -> status = 1;
        case "cat", "/bin/cat" -> {
          String text = new String(stdin, StandardCharsets.UTF_8);
          for (String line : text.split("\n", -1)) {
            out.add(new LogLine(LogLine.Source.STDOUT, line));
          }
          if (text.isEmpty() || text.endsWith("\n")) {
            out.remove(out.size() - 1); // no line after the last line break
          }
          status = 0;
        }
        default -> {
          out.add(new LogLine(LogLine.Source.STDERR, "sh: " + words.get(0) + ": not found"));
          status = 127;
        }
      }
    }
    return new ExecOutcome(out, status);
  }

  private static boolean isShell(List<String> cmd) {
    return cmd.size() >= 2 && (cmd.get(0).equals("sh") || cmd.get(0).endsWith("/sh"))
        && cmd.get(1).equals("-c");
  }

  private static LogLine echo(String statement, List<String> words) {
    boolean toStderr = statement.matches("(?s).*(^|\\s)1?>&2(\\s.*|$)");
    return new LogLine(toStderr ? LogLine.Source.STDERR : LogLine.Source.STDOUT,
        String.join(" ", words.subList(1, words.size())));
  }

  private static int exitCode(List<String> words) {
    if (words.size() < 2) {
      return 0;
    }
    try {
      return Integer.parseInt(words.get(1)) & 0xff;
    } catch (NumberFormatException e) {
      return 2;
    }
  }

  /** Log lines a command writes, and its exit code if it exits by itself. */
  public record Outcome(List<LogLine> logs, Optional<Integer> exitCode) {}

  /** The lines a command run in a container writes, and its exit code. */
  public record ExecOutcome(List<LogLine> output, int exitCode) {}

  /** Just enough shell word splitting for test scripts. */
  static final class Shell {
    private Shell() {}

    /** Splits on {@code ;}, {@code &&} and newlines outside quotes. */
    static List<String> statements(String script) {
      List<String> out = new ArrayList<>();
      StringBuilder cur = new StringBuilder();
      char quote = 0;
      for (int i = 0; i < script.length(); i++) {
        char ch = script.charAt(i);
        if (quote != 0) {
          if (ch == quote) {
            quote = 0;
          }
          cur.append(ch);
        } else if (ch == '\'' || ch == '"') {
          quote = ch;
          cur.append(ch);
        } else if (ch == ';' || ch == '\n'
            || ch == '&' && i + 1 < script.length() && script.charAt(i + 1) == '&') {
          if (ch == '&') {
            i++;
          }
          out.add(cur.toString().strip());
          cur.setLength(0);
        } else {
          cur.append(ch);
        }
      }
      out.add(cur.toString().strip());
      out.removeIf(String::isEmpty);
      return out;
    }

    /** Words of one statement, quotes removed, variables expanded, redirections dropped. */
    static List<String> words(String statement, Map<String, String> env) {
      List<String> words = new ArrayList<>();
      StringBuilder cur = new StringBuilder();
      boolean inWord = false;
      char quote = 0;
      for (int i = 0; i < statement.length(); i++) {
        char ch = statement.charAt(i);
        if (quote == '\'') {
          if (ch == '\'') {
            quote = 0;
          } else {
            cur.append(ch);
          }
        } else if (ch == '$' && i + 1 < statement.length()) {
          int end;
          String var;
          if (statement.charAt(i + 1) == '{') {
            end = statement.indexOf('}', i + 2);
            end = end < 0 ? statement.length() - 1 : end;
            var = statement.substring(i + 2, end);
          } else {
            end = i + 1;
            while (end < statement.length() && (Character.isLetterOrDigit(statement.charAt(end))
                || statement.charAt(end) == '_')) {
              end++;
            }
            var = statement.substring(i + 1, end);
            end--;
          }
          if (var.isEmpty()) {
            cur.append('$');
          } else {
            cur.append(env.getOrDefault(var, ""));
            i = end;
          }
          inWord = true;
        } else if (quote == '"') {
          if (ch == '"') {
            quote = 0;
          } else {
            cur.append(ch);
          }
        } else if (ch == '\'' || ch == '"') {
          quote = ch;
          inWord = true;
        } else if (Character.isWhitespace(ch)) {
          if (inWord) {
            words.add(cur.toString());
            cur.setLength(0);
            inWord = false;
          }
        } else {
          cur.append(ch);
          inWord = true;
        }
      }
      if (inWord) {
        words.add(cur.toString());
      }
      words.removeIf(w -> w.matches("[0-9]*>&?[0-9]*|[0-9]*>>?.*|<.*"));
      return words;
    }
  }
}
