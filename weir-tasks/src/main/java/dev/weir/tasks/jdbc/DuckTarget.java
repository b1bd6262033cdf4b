package dev.weir.tasks.jdbc;

import dev.weir.task.TaskFailedException;
import java.nio.file.Path;

/** Where a DuckDB URL points; relative database files resolve against the flow's directory. */
final class DuckTarget {
  static final String PREFIX = "jdbc:duckdb:";

  private DuckTarget() {}

  static boolean isDuckDb(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  static String notSupported(String url) {
    return "jdbc.load supports DuckDB targets (jdbc:duckdb:...) in this version; got '"
        + url
        + "'. Load into DuckDB, e.g. `url: jdbc:duckdb:warehouse.duckdb`";
  }

  /** {@code jdbc:duckdb:data/w.duckdb} → {@code jdbc:duckdb:/flows/data/w.duckdb}. */
  static String resolve(String url, Path workDir) {
    if (!isDuckDb(url)) {
      throw TaskFailedException.permanent(notSupported(url));
    }
    String rest = url.substring(PREFIX.length());
    int cut = indexOfAny(rest, ";?");
    String file = cut < 0 ? rest : rest.substring(0, cut);
    String options = cut < 0 ? "" : rest.substring(cut);
    // empty and :memory: are in-memory databases; md: and friends are not local files
    if (file.isEmpty() || file.startsWith(":") || file.matches("[a-z]+:.*")) {
      return url;
    }
    Path path = Path.of(file);
    if (path.isAbsolute()) {
      return url;
    }
    return PREFIX + workDir.resolve(path).toAbsolutePath().normalize() + options;
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
