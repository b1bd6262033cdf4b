package dev.weir.tasks.file;

import static dev.weir.tasks.duck.Sql.path;
import static dev.weir.tasks.duck.Sql.str;

import dev.weir.tasks.duck.DuckSession;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Map;

/** Stages a CSV file with DuckDB's reader, which sets aside rows that don't parse or cast. */
final class CsvStage {
  private CsvStage() {}

  /** Writes the good rows to {@code out}, the bad ones to {@link Rejects}; returns good rows. */
  static long stage(DuckSession duck, Path file, FileReadTask.Config config, Path out)
      throws SQLException {
    var options = new ArrayList<String>();
    String delimiter =
        config.delimiter() != null ? config.delimiter() : FileFormat.isTsv(file) ? "\t" : ",";
    options.add("delim=" + str(delimiter));
    options.add("header=" + (config.header() == null || config.header()));
    if (config.schema() != null && !config.schema().isEmpty()) {
      options.add("columns=" + struct(config.schema()));
    }
    // store_rejects turns a bad row into a row of reject_errors instead of failing the read
    options.add("store_rejects=true");
    String read = "read_csv(" + path(file) + ", " + String.join(", ", options) + ")";
    long rows =
        duck.exec("COPY (SELECT * FROM " + read + ") TO " + path(out) + " (FORMAT parquet)");
    duck.exec(
        "INSERT INTO "
            + Rejects.TABLE
            + " SELECT line, column_name, error_message, csv_line FROM reject_errors");
    return rows;
  }

  private static String struct(Map<String, String> schema) {
    var fields = new ArrayList<String>();
    schema.forEach((column, type) -> fields.add(str(column) + ": " + str(type.strip())));
    return "{" + String.join(", ", fields) + "}";
  }
}
