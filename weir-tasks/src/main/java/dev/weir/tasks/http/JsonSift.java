package dev.weir.tasks.http;

import static dev.weir.tasks.duck.Sql.str;

import dev.weir.deadletter.DeadLetters;
import dev.weir.tasks.duck.DuckSession;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds the records whose fields do not cast to the schema's types, after staging them all failed:
 * each goes to the dead letters with every field that did not fit, and the others are written to a
 * new file to stage.
 */
final class JsonSift {
  private JsonSift() {}

  static void sift(
      DuckSession duck,
      Path ndjson,
      Map<String, String> schema,
      DeadLetters letters,
      java.util.function.LongUnaryOperator place,
      Path good)
      throws SQLException {
    List<String> lines = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(ndjson, StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        lines.add(line);
      }
    } catch (IOException e) {
      throw new SQLException("cannot read " + ndjson + ": " + e.getMessage(), e);
    }
    duck.exec("CREATE OR REPLACE TEMP TABLE weir_records (n BIGINT, line VARCHAR)");
    try (PreparedStatement ps =
        duck.connection().prepareStatement("INSERT INTO weir_records VALUES (?, ?)")) {
      for (int i = 0; i < lines.size(); i++) {
        ps.setLong(1, i + 1);
        ps.setString(2, lines.get(i));
        ps.addBatch();
        if (i % 5_000 == 4_999) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
    }
    var problems = new TreeMap<Long, List<String>>();
    for (Map.Entry<String, String> c : schema.entrySet()) {
      String field = "json_extract_string(line, " + str("$.\"" + c.getKey() + "\"") + ")";
      String sql =
          "SELECT n, "
              + field
              + " FROM weir_records WHERE "
              + field
              + " IS NOT NULL AND TRY_CAST("
              + field
              + " AS "
              + c.getValue().strip()
              + ") IS NULL ORDER BY n";
      try (Statement st = duck.connection().createStatement();
          ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          String value = rs.getString(2);
          problems
              .computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
              .add(
                  c.getKey()
                      + " '"
                      + (value.length() > 60 ? value.substring(0, 60) + "…" : value)
                      + "' is not "
                      + c.getValue().strip());
        }
      }
    }
    try (BufferedWriter out = Files.newBufferedWriter(good, StandardCharsets.UTF_8)) {
      for (int i = 0; i < lines.size(); i++) {
        List<String> why = problems.get((long) i + 1);
        if (why == null) {
          out.write(lines.get(i));
          out.write('\n');
        } else {
          letters.reject(
              HttpExtractTask.JSON.readTree(lines.get(i)),
              "record " + place.applyAsLong(i + 1) + ": " + String.join(", ", why));
        }
      }
    } catch (IOException e) {
      throw new SQLException("cannot write " + good + ": " + e.getMessage(), e);
    }
    duck.exec("DROP TABLE weir_records");
  }
}
