package dev.weir.tasks.file;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The text encodings DuckDB's CSV reader knows without its encodings extension. */
enum CsvEncoding {
  UTF_8("utf-8", StandardCharsets.UTF_8),
  UTF_16("utf-16", StandardCharsets.UTF_16),
  LATIN_1("latin-1", StandardCharsets.ISO_8859_1);

  final String duckName;
  final Charset charset;

  CsvEncoding(String duckName, Charset charset) {
    this.duckName = duckName;
    this.charset = charset;
  }

  /**
   * The encoding a task names (utf-8 when it names none); spellings as Java and iconv write them.
   */
  static CsvEncoding of(String name) {
    if (name == null) {
      return UTF_8;
    }
    return switch (name.strip().toLowerCase(Locale.ROOT).replace("_", "-")) {
      case "utf-8", "utf8" -> UTF_8;
      case "utf-16", "utf16" -> UTF_16;
      case "latin-1", "latin1", "iso-8859-1", "iso8859-1" -> LATIN_1;
      default ->
          throw new IllegalArgumentException(
              "encoding '"
                  + name
                  + "' is not one file.read can read; use utf-8 (the default), utf-16 or latin-1,"
                  + " or convert the file to UTF-8 first (e.g. `iconv -f WINDOWS-1252 -t UTF-8`)");
    };
  }
}
