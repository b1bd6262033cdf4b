package dev.weir.tasks.file;

import java.util.ArrayList;
import java.util.List;

/**
 * DuckDB's reader errors without the page that follows their first lines (the sniffer's search
 * space, its settings, "Possible fixes" naming DuckDB options a flow cannot set, the SQL).
 */
final class DuckErrors {
  private static final List<String> DUMP =
      List.of(
          "The search space used was",
          "Possible fixes",
          "Possible Solution",
          "LINE 1:",
          "file =",
          "delimiter =",
          "Encoding:");

  private DuckErrors() {}

  static String shorten(String message) {
    var kept = new ArrayList<String>();
    for (String line : message.strip().lines().toList()) {
      String l = line.strip();
      if (DUMP.stream().anyMatch(l::startsWith)) {
        break;
      }
      if (!l.isEmpty()) {
        kept.add(l);
      }
    }
    return kept.isEmpty() ? message.strip() : String.join(" ", kept);
  }
}
