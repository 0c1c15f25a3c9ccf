package kr.codeb.workflow.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two lists of lines (longest common subsequence; workflow files are a few
 * hundred lines, and longer inputs are compared as wholly different past {@link #MAX_LINES}).
 */
public final class LineDiff {
  static final int MAX_LINES = 5_000;

  private LineDiff() {}

  private record Edit(char op, String line, int oldIndex, int newIndex) {}

  /** The {@code @@} hunks with {@code context} lines of context around each change. */
  public static List<String> unified(List<String> a, List<String> b, int context) {
    List<Edit> edits = edits(a, b);
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < edits.size()) {
      if (edits.get(i).op == ' ') {
        i++;
        continue;
      }
      int start = Math.max(0, i - context);
      int end = i;
      // Extend the hunk while changes are closer than 2 * context lines apart.
      int lastChange = i;
      while (end < edits.size()) {
        if (edits.get(end).op != ' ') {
          lastChange = end;
        } else if (end - lastChange > 2 * context) {
          break;
        }
        end++;
      }
      end = Math.min(edits.size(), lastChange + context + 1);
      int oldStart = -1;
      int newStart = -1;
      int oldCount = 0;
      int newCount = 0;
      List<String> body = new ArrayList<>();
      for (int k = start; k < end; k++) {
        Edit e = edits.get(k);
        if (e.op != '+') {
          oldCount++;
          oldStart = oldStart < 0 ? e.oldIndex : oldStart;
        }
        if (e.op != '-') {
          newCount++;
          newStart = newStart < 0 ? e.newIndex : newStart;
        }
        body.add(e.op + e.line);
      }
      out.add("@@ -" + range(oldStart, oldCount, edits, start, true) + " +"
          + range(newStart, newCount, edits, start, false) + " @@");
      out.addAll(body);
      i = end;
    }
    return out;
  }

  private static String range(int first, int count, List<Edit> edits, int start, boolean old) {
    int line = first >= 0 ? first + 1 : (old ? edits.get(start).oldIndex : edits.get(start).newIndex);
    return line + "," + count;
  }

  private static List<Edit> edits(List<String> a, List<String> b) {
    List<Edit> edits = new ArrayList<>();
    if (a.size() > MAX_LINES || b.size() > MAX_LINES) {
      for (int i = 0; i < a.size(); i++) {
        edits.add(new Edit('-', a.get(i), i, 0));
      }
      for (int j = 0; j < b.size(); j++) {
        edits.add(new Edit('+', b.get(j), a.size(), j));
      }
      return edits;
    }
    int[][] lcs = new int[a.size() + 1][b.size() + 1];
    for (int i = a.size() - 1; i >= 0; i--) {
      for (int j = b.size() - 1; j >= 0; j--) {
        lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1
            : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
        edits.add(new Edit(' ', a.get(i), i++, j++));
      } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
        edits.add(new Edit('-', a.get(i), i++, j));
      } else {
        edits.add(new Edit('+', b.get(j), i, j++));
      }
    }
    return edits;
  }
}
