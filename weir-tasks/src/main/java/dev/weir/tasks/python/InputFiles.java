package dev.weir.tasks.python;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.task.Dataset;
import dev.weir.task.TaskContext;
import dev.weir.tasks.duck.DuckSession;
import dev.weir.tasks.duck.Sql;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Hands the upstream datasets to a script as files: each one's Parquet file as it is staged, a CSV
 * copy for scripts without pyarrow, their paths in environment variables ({@code
 * WEIR_DATASET_ORDERS}, {@code WEIR_DATASET_ORDERS_CSV}) and a JSON manifest ({@code
 * WEIR_MANIFEST}) with each one's paths, rows and columns.
 */
final class InputFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TaskContext context;
  private final String format;

  InputFiles(TaskContext context, String format) {
    this.context = context;
    this.format = format;
  }

  /** Writes the CSV copies and the manifest into {@code dir}; the environment naming them. */
  Map<String, String> write(Path dir, Path outputDir) throws Exception {
    var env = new LinkedHashMap<String, String>();
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("runId", context.runId());
    manifest.put("task", context.taskId());
    manifest.put("attempt", context.attempt());
    manifest.put("outputDir", outputDir.toString());
    ObjectNode datasets = manifest.putObject("datasets");
    Map<String, Dataset> upstream = context.upstreamDatasets();
    try (DuckSession duck =
        upstream.isEmpty() || format.equals("parquet") ? null : DuckSession.memory(context)) {
      for (var e : upstream.entrySet()) {
        String id = e.getKey();
        Dataset d = e.getValue();
        ObjectNode entry = datasets.putObject(id);
        String var = "WEIR_DATASET_" + envName(id);
        if (!format.equals("csv")) {
          entry.put("parquet", d.path().toString());
          env.put(var, d.path().toString());
        }
        if (duck != null) {
          Path csv = dir.resolve(fileName(id) + ".csv");
          duck.exec(
              "COPY (SELECT * FROM "
                  + Sql.readParquet(d.path())
                  + ") TO "
                  + Sql.path(csv)
                  + " (HEADER, DELIMITER ',')");
          entry.put("csv", csv.toString());
          env.put(format.equals("csv") ? var : var + "_CSV", csv.toString());
        }
        entry.put("rows", d.rowCount());
        var columns = entry.putArray("columns");
        for (Dataset.Column c : d.schema()) {
          columns.addObject().put("name", c.name()).put("type", c.type());
        }
      }
    }
    Path file = dir.resolve("manifest.json");
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), manifest);
    env.put("WEIR_MANIFEST", file.toString());
    return env;
  }

  /** {@code raw-orders} → {@code RAW_ORDERS}: what an environment variable's name may hold. */
  static String envName(String id) {
    return id.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
  }

  private static String fileName(String id) {
    return id.replaceAll("[^A-Za-z0-9_.-]", "_");
  }
}
