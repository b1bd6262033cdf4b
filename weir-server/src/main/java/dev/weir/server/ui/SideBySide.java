package dev.weir.server.ui;

import com.github.difflib.patch.AbstractDelta;
import dev.weir.server.flows.LineDiff;
import java.util.ArrayList;
import java.util.List;

/**
 * Two texts side by side, from {@link LineDiff}'s deltas: kept lines face each other, and each
 * delta's removed lines face the added lines that replaced them, row by row. Each side is
 * highlighted as a whole text (a block scalar's lines need the lines above them) and escaped.
 */
final class SideBySide {
  /** One side of a row: its line number and highlighted text; an empty cell has number 0. */
  record Cell(int no, String html, String kind) {
    static final Cell EMPTY = new Cell(0, "", "empty");
  }

  record Row(Cell left, Cell right) {}

  /** The rows, and how many lines each side removed and added. */
  record Diff(List<Row> rows, int removed, int added) {}

  private SideBySide() {}

  static Diff of(String from, String to) {
    List<String> left = YamlHighlighter.lines(from);
    List<String> right = YamlHighlighter.lines(to);
    var rows = new ArrayList<Row>();
    int a = 0;
    int b = 0;
    int removed = 0;
    int added = 0;
    for (AbstractDelta<String> d :
        LineDiff.patch(from.lines().toList(), to.lines().toList()).getDeltas()) {
      int sourceAt = d.getSource().getPosition();
      for (; a < sourceAt; a++, b++) {
        rows.add(same(left, right, a, b));
      }
      int gone = d.getSource().size();
      int come = d.getTarget().size();
      for (int i = 0; i < Math.max(gone, come); i++) {
        rows.add(
            new Row(
                i < gone ? new Cell(a + i + 1, left.get(a + i), "removed") : Cell.EMPTY,
                i < come ? new Cell(b + i + 1, right.get(b + i), "added") : Cell.EMPTY));
      }
      a += gone;
      b += come;
      removed += gone;
      added += come;
    }
    for (; a < left.size(); a++, b++) {
      rows.add(same(left, right, a, b));
    }
    return new Diff(rows, removed, added);
  }

  private static Row same(List<String> left, List<String> right, int a, int b) {
    return new Row(new Cell(a + 1, left.get(a), "same"), new Cell(b + 1, right.get(b), "same"));
  }
}
