package dev.weir.server.ui;

import dev.weir.server.flows.LineDiff;
import java.util.ArrayList;
import java.util.List;

/**
 * Two texts side by side, from {@link LineDiff}: kept lines face each other, and each run of
 * removed lines faces the run of added lines that replaced it, row by row. Each side is highlighted
 * as a whole text (a block scalar's lines need the lines above them) and escaped.
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
    var removed = new ArrayList<Cell>();
    var added = new ArrayList<Cell>();
    int a = 0;
    int b = 0;
    int removedCount = 0;
    int addedCount = 0;
    for (LineDiff.Line l : LineDiff.lines(from, to)) {
      switch (l.op()) {
        case SAME -> {
          flush(rows, removed, added);
          rows.add(
              new Row(new Cell(a + 1, left.get(a), "same"), new Cell(b + 1, right.get(b), "same")));
          a++;
          b++;
        }
        case REMOVED -> {
          removed.add(new Cell(a + 1, left.get(a), "removed"));
          a++;
          removedCount++;
        }
        case ADDED -> {
          added.add(new Cell(b + 1, right.get(b), "added"));
          b++;
          addedCount++;
        }
      }
    }
    flush(rows, removed, added);
    return new Diff(rows, removedCount, addedCount);
  }

  private static void flush(List<Row> rows, List<Cell> removed, List<Cell> added) {
    for (int i = 0; i < Math.max(removed.size(), added.size()); i++) {
      rows.add(
          new Row(
              i < removed.size() ? removed.get(i) : Cell.EMPTY,
              i < added.size() ? added.get(i) : Cell.EMPTY));
    }
    removed.clear();
    added.clear();
  }
}
