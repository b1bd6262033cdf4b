package dev.weir.tasks.file;

import dev.weir.task.TaskFailedException;
import java.nio.file.Path;
import java.util.Locale;

/** The file formats DuckDB reads and writes without extensions. */
public enum FileFormat {
  CSV,
  JSON,
  PARQUET;

  /** The format given in the task, else the one the file's extension names. */
  static FileFormat of(FileFormat given, Path file) {
    if (given != null) {
      return given;
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    // DuckDB reads and writes compressed text files itself, so look past the compression suffix
    String base = name.replaceFirst("\\.(gz|zst)$", "");
    String ext = base.contains(".") ? base.substring(base.lastIndexOf('.') + 1) : "";
    return switch (ext) {
      case "csv", "tsv", "txt" -> CSV;
      case "json", "jsonl", "ndjson" -> JSON;
      case "parquet", "pq" -> PARQUET;
      default ->
          throw TaskFailedException.permanent(
              "cannot tell the format of "
                  + file
                  + " from its extension "
                  + (ext.isEmpty() ? "(it has none)" : "'." + ext + "'")
                  + "; known extensions are .csv, .tsv, .json, .jsonl, .ndjson, .parquet;"
                  + " add `format: csv` (or json, parquet) to the task");
    };
  }

  static boolean isTsv(Path file) {
    return file.getFileName()
        .toString()
        .toLowerCase(Locale.ROOT)
        .matches(".*\\.tsv(\\.gz|\\.zst)?");
  }
}
