package dev.weir.server.flows;

import java.util.ArrayList;
import java.util.List;

/** A diff of two texts by lines (longest common subsequence), for revision diffs. */
public final class LineDiff {
  private LineDiff() {}

  /** What happens to one line: kept in both texts, only in the first, or only in the second. */
  public enum Op {
    SAME(' '),
    REMOVED('-'),
    ADDED('+');

    private final char mark;

    Op(char mark) {
      this.mark = mark;
    }

    public char mark() {
      return mark;
    }
  }

  /** One line of a diff: its text and what happens to it. */
  public record Line(Op op, String text) {}

  /** Every line of both texts in order, each kept, removed or added. */
  public static List<Line> lines(String from, String to) {
    List<String> a = from.lines().toList();
    List<String> b = to.lines().toList();
    int[][] lcs = new int[a.size() + 1][b.size() + 1];
    for (int i = a.size() - 1; i >= 0; i--) {
      for (int j = b.size() - 1; j >= 0; j--) {
        lcs[i][j] =
            a.get(i).equals(b.get(j))
                ? lcs[i + 1][j + 1] + 1
                : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    var out = new ArrayList<Line>();
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
        out.add(new Line(Op.SAME, a.get(i)));
        i++;
        j++;
      } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
        out.add(new Line(Op.REMOVED, a.get(i++)));
      } else {
        out.add(new Line(Op.ADDED, b.get(j++)));
      }
    }
    return out;
  }

  public static String unified(String fromName, String from, String toName, String to) {
    var out = new ArrayList<String>();
    out.add("--- " + fromName);
    out.add("+++ " + toName);
    for (Line l : lines(from, to)) {
      out.add(l.op().mark() + l.text());
    }
    return String.join("\n", out) + "\n";
  }
}
