package kr.codeb.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.codeb.runtime.ContainerSpec;

/**
 * What a command does in the mem: runtime: a tiny {@code sh -c} interpreter, just enough for
 * test scripts (see {@code MemContainerRuntime}'s class comment for what it understands).
 */
public final class MemShell {
  private MemShell() {}

  /** What a command does: a tiny {@code sh -c} interpreter, see the class comment. */
  public static Outcome interpret(ContainerSpec spec) {
    List<String> cmd = spec.command();
    if (cmd.size() < 3 || !(cmd.get(0).equals("sh") || cmd.get(0).endsWith("/sh"))
        || !cmd.get(1).equals("-c")) {
      return new Outcome(List.of(), Optional.empty());
    }
    List<String> logs = new ArrayList<>();
    List<String> statements = Shell.statements(cmd.get(2));
    for (int s = 0; s < statements.size(); s++) {
      List<String> words = Shell.words(statements.get(s), spec.env());
      boolean exec = !words.isEmpty() && words.get(0).equals("exec");
      if (exec) {
        words = words.subList(1, words.size());
      }
      boolean last = exec || s == statements.size() - 1;
      if (words.isEmpty()) {
        continue;
      }
      switch (words.get(0)) {
        case "echo" -> logs.add(String.join(" ", words.subList(1, words.size())));
        case "exit" -> {
          int code = 0;
          if (words.size() > 1) {
            try {
              code = Integer.parseInt(words.get(1)) & 0xff;
            } catch (NumberFormatException e) {
              code = 2;
            }
          }
          return new Outcome(logs, Optional.of(code));
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

  /** Log lines a command writes, and its exit code if it exits by itself. */
  public record Outcome(List<String> logs, Optional<Integer> exitCode) {}

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
