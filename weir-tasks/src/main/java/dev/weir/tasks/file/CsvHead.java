package dev.weir.tasks.file;

import java.util.ArrayList;
import java.util.List;

/**
 * The first record of a CSV file (its header, or its first row), split as RFC 4180 splits it, so
 * that Weir can compare it with the schema and the delimiter before DuckDB's sniffer does.
 *
 * @param fields the record's fields, unquoted
 * @param line the record as it is in the file, without its line break
 */
record CsvHead(List<String> fields, String line) {
  private static final char QUOTE = '"';

  /** Where the first record of {@code text} ends (before its line break), or -1 if it doesn't. */
  static int end(CharSequence text) {
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == QUOTE) {
        quoted = !quoted; // a doubled quote inside quotes toggles twice
      } else if (!quoted && (c == '\n' || c == '\r')) {
        return i;
      }
    }
    return -1;
  }

  /** Splits one record (no line break) at {@code delimiter}s outside quotes. */
  static CsvHead parse(String line, String delimiter) {
    var fields = new ArrayList<String>();
    var field = new StringBuilder();
    boolean quoted = false;
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == QUOTE) {
        if (quoted && i + 1 < line.length() && line.charAt(i + 1) == QUOTE) {
          field.append(QUOTE);
          i += 2;
          continue;
        }
        quoted = !quoted;
        i++;
      } else if (!quoted && !delimiter.isEmpty() && line.startsWith(delimiter, i)) {
        fields.add(field.toString());
        field.setLength(0);
        i += delimiter.length();
      } else {
        field.append(c);
        i++;
      }
    }
    fields.add(field.toString());
    return new CsvHead(List.copyOf(fields), line);
  }

  /** How many times {@code c} occurs outside quotes. */
  int countUnquoted(char c) {
    int n = 0;
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char x = line.charAt(i);
      if (x == QUOTE) {
        quoted = !quoted;
      } else if (!quoted && x == c) {
        n++;
      }
    }
    return n;
  }
}
