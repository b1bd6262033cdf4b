package dev.weir.tasks.models;

import java.util.ArrayList;
import java.util.List;

/** A small RFC 4180 CSV reader for seeds: quoted fields, doubled quotes, CRLF or LF lines. */
final class Csv {
  private Csv() {}

  /** Every record of {@code text}; blank lines are skipped. */
  static List<String[]> parse(String text, String file) {
    var rows = new ArrayList<String[]>();
    var row = new ArrayList<String>();
    var cell = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    int line = 1;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          if (ch == '\n') {
            line++;
          }
          cell.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
        any = true;
      } else if (ch == ',') {
        row.add(cell.toString());
        cell.setLength(0);
        any = true;
      } else if (ch == '\n' || ch == '\r') {
        if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        line++;
        if (any || cell.length() > 0) {
          row.add(cell.toString());
          rows.add(row.toArray(String[]::new));
        }
        row.clear();
        cell.setLength(0);
        any = false;
      } else {
        cell.append(ch);
      }
    }
    if (quoted) {
      throw new ModelsException(file, line, "a quoted field is not closed; add the closing quote");
    }
    if (any || cell.length() > 0) {
      row.add(cell.toString());
      rows.add(row.toArray(String[]::new));
    }
    return rows;
  }
}
