package dev.weir.tasks.file;

import static dev.weir.tasks.duck.Sql.id;
import static dev.weir.tasks.duck.Sql.path;
import static dev.weir.tasks.duck.Sql.str;

import dev.weir.task.Dataset;
import dev.weir.task.TaskFailedException;
import dev.weir.tasks.duck.DuckSession;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stages a JSON or Parquet file. With a schema, each column is cast on its own so that one bad
 * value rejects its row instead of failing the whole read, as DuckDB's CSV reader does.
 */
final class TypedStage {
  private static final String SOURCE = "weir_source";
  private static final String LINE = "weir_line";

  private TypedStage() {}

  static long stage(
      DuckSession duck, Path file, FileFormat format, Map<String, String> schema, Path out)
      throws SQLException {
    if (schema == null || schema.isEmpty()) {
      return duck.exec(
          "COPY (SELECT * FROM "
              + reader(file, format, null)
              + ") TO "
              + path(out)
              + " (FORMAT parquet)");
    }
    // JSON values are read as text so that a bad one can be reported instead of failing the read
    duck.exec(
        "CREATE TEMP TABLE "
            + SOURCE
            + " AS SELECT row_number() OVER () AS "
            + LINE
            + ", * FROM "
            + reader(file, format, schema));
    List<String> present =
        duck.columns("SELECT * FROM " + SOURCE).stream()
            .map(Dataset.Column::name)
            .filter(c -> !c.equals(LINE))
            .toList();
    for (String column : schema.keySet()) {
      if (!present.contains(column)) {
        throw TaskFailedException.permanent(
            "schema column '"
                + column
                + "' is not in "
                + file
                + " (its columns: "
                + String.join(", ", present)
                + "); remove it from the schema or fix its name");
      }
    }
    String raw = rawJson(present);
    var casts = new ArrayList<String>();
    for (Map.Entry<String, String> e : schema.entrySet()) {
      String column = id(e.getKey());
      String type = e.getValue().strip();
      String tryCast = "TRY_CAST(" + column + " AS " + type + ")";
      duck.exec(
          "INSERT INTO "
              + Rejects.TABLE
              + " SELECT "
              + LINE
              + ", "
              + str(e.getKey())
              + ", 'could not convert ' || "
              + column
              + "::VARCHAR || ' to "
              + type.replace("'", "''")
              + "', "
              + raw
              + " FROM "
              + SOURCE
              + " WHERE "
              + column
              + " IS NOT NULL AND "
              + tryCast
              + " IS NULL");
      casts.add(tryCast + " AS " + column);
    }
    return duck.exec(
        "COPY (SELECT "
            + String.join(", ", casts)
            + " FROM "
            + SOURCE
            + " WHERE "
            + LINE
            + " NOT IN (SELECT line FROM "
            + Rejects.TABLE
            + ") ORDER BY "
            + LINE
            + ") TO "
            + path(out)
            + " (FORMAT parquet)");
  }

  private static String reader(Path file, FileFormat format, Map<String, String> schema) {
    if (format == FileFormat.PARQUET) {
      return "read_parquet(" + path(file) + ")";
    }
    if (schema == null) {
      return "read_json_auto(" + path(file) + ")";
    }
    var fields = new ArrayList<String>();
    schema.keySet().forEach(c -> fields.add(str(c) + ": 'VARCHAR'"));
    return "read_json(" + path(file) + ", columns={" + String.join(", ", fields) + "})";
  }

  private static String rawJson(List<String> columns) {
    var args = new ArrayList<String>();
    for (String c : columns) {
      args.add(str(c) + ", " + id(c));
    }
    return "json_object(" + String.join(", ", args) + ")::VARCHAR";
  }
}
