package dev.weir.tasks.jdbc;

import dev.weir.task.Dataset;
import dev.weir.tasks.duck.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rows of a dataset as a DuckDB query shaped for one target database: values the target cannot
 * take as they are (nested types, blobs, zoned times in MySQL) are converted on the DuckDB side.
 */
final class DatasetSource {
  private final Dataset dataset;
  private final List<Dataset.Column> columns;

  DatasetSource(Dataset dataset, List<Dataset.Column> columns) {
    this.dataset = dataset;
    this.columns = List.copyOf(columns);
  }

  List<Dataset.Column> columns() {
    return columns;
  }

  String checksum() {
    return dataset.checksum();
  }

  long rowCount() {
    return dataset.rowCount();
  }

  List<String> names() {
    return columns.stream().map(Dataset.Column::name).toList();
  }

  /** The FROM item that reads the dataset's rows. */
  String from() {
    return Sql.readParquet(dataset.path());
  }

  /** SELECT over the dataset's Parquet file for a COPY (PostgreSQL) or a JDBC batch (others). */
  String select(Dialect dialect) {
    var exprs = new ArrayList<String>();
    for (Dataset.Column c : columns) {
      exprs.add(expression(c, dialect) + " AS " + Sql.id(c.name()));
    }
    return "SELECT " + String.join(", ", exprs) + " FROM " + Sql.readParquet(dataset.path());
  }

  /**
   * {@link #select} with the row's number in the dataset (from 0) as the first column, in order:
   * the row-by-row search names a bad row by it.
   */
  String numberedSelect(Dialect dialect) {
    var exprs = new ArrayList<String>();
    exprs.add("file_row_number AS weir_row");
    for (Dataset.Column c : columns) {
      exprs.add(expression(c, dialect) + " AS " + Sql.id(c.name()));
    }
    return "SELECT "
        + String.join(", ", exprs)
        + " FROM read_parquet("
        + Sql.path(dataset.path())
        + ", file_row_number = true) ORDER BY weir_row";
  }

  private static String expression(Dataset.Column c, Dialect dialect) {
    String col = Sql.id(c.name());
    String t = c.type().toUpperCase(Locale.ROOT);
    if (t.endsWith("]") || t.startsWith("STRUCT") || t.startsWith("MAP") || t.startsWith("UNION")) {
      return "to_json(" + col + ")::VARCHAR";
    }
    if (t.equals("BLOB")) {
      return dialect == Dialect.POSTGRES ? "'\\x' || hex(" + col + ")" : col;
    }
    if (t.startsWith("TIMESTAMP WITH TIME ZONE") || t.equals("TIMESTAMPTZ")) {
      return switch (dialect) {
        case POSTGRES -> "strftime(" + col + " AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S.%f+00')";
        case MYSQL -> "(" + col + " AT TIME ZONE 'UTC')";
        case SQLITE -> "strftime(" + col + " AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ')";
        default -> col;
      };
    }
    if (dialect == Dialect.SQLITE) {
      if (t.startsWith("TIMESTAMP")) {
        return "strftime(" + col + ", '%Y-%m-%dT%H:%M:%S.%f')";
      }
      if (t.equals("DATE")
          || t.equals("TIME")
          || t.equals("UUID")
          || t.startsWith("DECIMAL")
          || t.endsWith("HUGEINT")
          || t.equals("UBIGINT")
          || t.equals("INTERVAL")) {
        return col + "::VARCHAR";
      }
    }
    if ((t.equals("UUID") || t.equals("JSON") || t.equals("INTERVAL"))
        && dialect != Dialect.POSTGRES) {
      return col + "::VARCHAR";
    }
    if (t.endsWith("HUGEINT") || t.equals("UBIGINT")) {
      return col + "::DECIMAL(38,0)";
    }
    return col;
  }
}
