package dev.weir.tasks.file;

import static dev.weir.tasks.duck.Sql.id;
import static dev.weir.tasks.duck.Sql.path;
import static dev.weir.tasks.duck.Sql.str;

import dev.weir.tasks.duck.DuckSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Map;

/** Stages a CSV file with DuckDB's reader, which sets aside rows that don't parse or cast. */
final class CsvStage {
  private CsvStage() {}

  /**
   * Writes the good rows to {@code out}, the bad ones to {@link Rejects}; returns good rows.
   *
   * @param file a file, or a glob over the files fetched from S3
   * @param shown how messages name the source
   */
  static long stage(DuckSession duck, Path file, String shown, FileReadTask.Config config, Path out)
      throws SQLException, IOException {
    String delimiter =
        config.delimiter() != null ? config.delimiter() : FileFormat.isTsv(file) ? "\t" : ",";
    boolean header = config.header() == null || config.header();
    CsvEncoding encoding = CsvEncoding.of(config.encoding());
    boolean empty = false;
    for (Path f : SourceFiles.of(file)) {
      empty = CsvShape.check(f, name(f, file, shown), config.schema(), header, delimiter, encoding);
    }
    if (empty && Files.isRegularFile(file)) {
      // DuckDB's sniffer fails on an empty file; the schema says what its no rows look like
      var columns = new ArrayList<String>();
      config.schema().forEach((c, type) -> columns.add("NULL::" + type.strip() + " AS " + id(c)));
      return duck.exec(
          "COPY (SELECT "
              + String.join(", ", columns)
              + " WHERE false) TO "
              + path(out)
              + " (FORMAT parquet)");
    }
    var options = new ArrayList<String>();
    options.add("delim=" + str(delimiter));
    options.add("header=" + header);
    if (encoding != CsvEncoding.UTF_8) {
      options.add("encoding=" + str(encoding.duckName));
    }
    // "" is an empty string and an empty field NULL, as in PostgreSQL's COPY ... CSV; DuckDB's
    // default reads both as NULL, so an empty string could not survive a round trip
    options.add("allow_quoted_nulls=false");
    if (config.schema() != null && !config.schema().isEmpty()) {
      options.add("columns=" + struct(config.schema()));
    }
    // store_rejects turns a bad row into a row of reject_errors instead of failing the read
    options.add("store_rejects=true");
    String read = "read_csv(" + path(file) + ", " + String.join(", ", options) + ")";
    long rows =
        duck.exec("COPY (SELECT * FROM " + read + ") TO " + path(out) + " (FORMAT parquet)");
    long badText =
        duck.queryLong(
            "SELECT coalesce(min(line), 0) FROM reject_errors"
                + " WHERE error_type = 'INVALID ENCODING'");
    if (badText > 0) {
      // not a bad row but a file in another encoding: every row with an accent would be lost
      for (Path f : SourceFiles.of(file)) {
        var invalid = CsvShape.firstInvalid(f);
        if (invalid.isPresent()) {
          throw CsvShape.notUtf8(name(f, file, shown), invalid.get());
        }
      }
      throw CsvShape.notUtf8(shown, badText);
    }
    // DuckDB's csv_line of a file with \r\n line ends starts with the previous line's \n
    duck.exec(
        "INSERT INTO "
            + Rejects.TABLE
            + " SELECT line, column_name, error_message, ltrim(csv_line, chr(13) || chr(10))"
            + " FROM reject_errors");
    return rows;
  }

  /** How messages name one of the files a glob over S3 objects matched. */
  private static String name(Path f, Path file, String shown) {
    return f.equals(file) ? shown : shown + ", object " + SourceFiles.shortName(f);
  }

  private static String struct(Map<String, String> schema) {
    var fields = new ArrayList<String>();
    schema.forEach((column, type) -> fields.add(str(column) + ": " + str(type.strip())));
    return "{" + String.join(", ", fields) + "}";
  }
}
