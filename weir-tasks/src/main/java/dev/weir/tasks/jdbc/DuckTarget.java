package dev.weir.tasks.jdbc;

import java.nio.file.Path;

/** Where a DuckDB URL points; relative database files resolve against the flow's directory. */
final class DuckTarget {
  static final String PREFIX = "jdbc:duckdb:";

  private DuckTarget() {}

  static boolean isDuckDb(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  /** {@code jdbc:duckdb:data/w.duckdb} → {@code jdbc:duckdb:/flows/data/w.duckdb}. */
  static String resolve(String url, Path workDir) {
    if (!isDuckDb(url)) {
      throw new IllegalArgumentException("not a DuckDB url: " + url);
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

  /**
   * Creates the directory a DuckDB file of a resolved (absolute) url goes in: DuckDB creates the
   * database file but not its directory.
   */
  static void ensureParentDir(String url) throws java.io.IOException {
    String rest = url.substring(PREFIX.length()).split("[;?]", 2)[0];
    if (rest.startsWith("/")) {
      java.nio.file.Path parent = java.nio.file.Path.of(rest).getParent();
      if (parent != null) {
        java.nio.file.Files.createDirectories(parent);
      }
    }
  }
}
