package dev.weir.tasks.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.task.Dataset;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.tasks.duck.DuckSession;
import dev.weir.tasks.duck.Sql;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a script left in {@code $WEIR_OUTPUT_DIR}: data files (CSV, JSON lines, Parquet), one of
 * which becomes the task's dataset, and an optional {@code outputs.json} of outputs.
 */
record OutputFiles(List<Path> data) {
  static final String OUTPUTS = "outputs.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  static OutputFiles scan(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return new OutputFiles(
          files
              .filter(Files::isRegularFile)
              .filter(p -> reader(p) != null)
              .filter(p -> !p.getFileName().toString().equals(OUTPUTS))
              .sorted()
              .toList());
    }
  }

  /** The outputs in {@code outputs.json}, when the script wrote one. */
  static Map<String, Object> outputsJson(Path dir) throws IOException {
    Path f = dir.resolve(OUTPUTS);
    if (!Files.exists(f)) {
      return Map.of();
    }
    JsonNode node;
    try {
      node = JSON.readTree(f.toFile());
    } catch (IOException e) {
      throw TaskFailedException.permanent(
          "$WEIR_OUTPUT_DIR/"
              + OUTPUTS
              + " is not JSON: "
              + e.getMessage()
              + "; write an object, e.g. json.dump({\"rows\": 10}, f)");
    }
    if (node == null || !node.isObject()) {
      throw TaskFailedException.permanent(
          "$WEIR_OUTPUT_DIR/" + OUTPUTS + " must hold a JSON object, e.g. {\"rows\": 10}");
    }
    var out = new LinkedHashMap<String, Object>();
    node.fields()
        .forEachRemaining(e -> out.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class)));
    return out;
  }

  /** The file that is the task's dataset: the one named, the only one, or none. */
  Path chosen(String name) {
    if (name != null) {
      return data.stream()
          .filter(p -> p.getFileName().toString().equals(name))
          .findFirst()
          .orElseThrow(() ->
              TaskFailedException.permanent(
                  "dataset: '"
                      + name
                      + "' was not written to $WEIR_OUTPUT_DIR (it holds: "
                      + names()
                      + ")"));
    }
    if (data.size() > 1) {
      throw TaskFailedException.permanent(
          "the script wrote "
              + data.size()
              + " data files to $WEIR_OUTPUT_DIR ("
              + names()
              + "); name the task's dataset, e.g. `dataset: "
              + data.getFirst().getFileName()
              + "`");
    }
    return data.isEmpty() ? null : data.getFirst();
  }

  private String names() {
    return data.isEmpty()
        ? "nothing"
        : String.join(", ", data.stream().map(p -> p.getFileName().toString()).toList());
  }

  /** Stages {@code file} as Parquet, the task's dataset, with its schema and row count. */
  static Dataset stage(Path file, TaskContext context) throws SQLException {
    Path parquet = context.stagingDir().resolve("data.parquet");
    try (DuckSession duck = DuckSession.memory(context)) {
      duck.exec(
          "COPY (SELECT * FROM "
              + reader(file)
              + ") TO "
              + Sql.path(parquet)
              + " (FORMAT parquet)");
      return duck.dataset(context.taskId(), parquet);
    } catch (SQLException e) {
      throw TaskFailedException.permanent(
          "cannot read " + file.getFileName() + " that the script wrote: " + Sql.message(e));
    }
  }

  /** The DuckDB table function that reads {@code file}, by its extension; null for other files. */
  static String reader(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".csv")) {
      return "read_csv(" + Sql.path(file) + ", header = true)";
    }
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return "read_json(" + Sql.path(file) + ", format = 'newline_delimited')";
    }
    if (name.endsWith(".parquet")) {
      return "read_parquet(" + Sql.path(file) + ")";
    }
    return null;
  }
}
