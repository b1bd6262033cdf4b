package dev.weir.tasks.http;

import static dev.weir.tasks.duck.Sql.path;
import static dev.weir.tasks.duck.Sql.str;

import dev.weir.tasks.duck.DuckSession;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Map;

/** Turns the newline-delimited JSON the task wrote into the staged Parquet file. */
final class JsonStage {
  private JsonStage() {}

  /**
   * @param schema column → DuckDB type, or null to infer the columns and types from every record
   * @return rows written
   */
  static long stage(DuckSession duck, Path ndjson, Map<String, String> schema, Path out)
      throws SQLException {
    String reader;
    if (schema == null) {
      // sample every record, so a field that only appears late still becomes a column
      reader = "read_json(" + path(ndjson) + ", format='newline_delimited', sample_size=-1)";
    } else {
      var columns = new ArrayList<String>();
      schema.forEach((c, t) -> columns.add(str(c) + ": " + str(t.strip())));
      reader =
          "read_json("
              + path(ndjson)
              + ", format='newline_delimited', columns={"
              + String.join(", ", columns)
              + "})";
    }
    return duck.exec("COPY (SELECT * FROM " + reader + ") TO " + path(out) + " (FORMAT parquet)");
  }
}
