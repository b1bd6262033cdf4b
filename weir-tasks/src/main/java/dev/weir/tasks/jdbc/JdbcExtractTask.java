package dev.weir.tasks.jdbc;

import dev.weir.config.ConnectionConfig;
import dev.weir.expr.Expressions;
import dev.weir.flow.Durations;
import dev.weir.task.Audit;
import dev.weir.task.Dataset;
import dev.weir.task.DatasetRef;
import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import dev.weir.tasks.duck.DuckSession;
import dev.weir.tasks.duck.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads rows from a database into a staged dataset: a query or a whole table, optionally only the
 * rows changed since the last successful run, optionally in parallel key ranges.
 */
public final class JdbcExtractTask implements TaskType<JdbcExtractTask.Config> {
  static final String WATERMARK = "watermark";

  /**
   * @param sql a query; {@code :name} parameters are bound from {@code params} (and {@code :since})
   * @param table read the whole table instead of a query
   * @param params values for the query's {@code :name} parameters
   * @param queryTimeout how long the database may take to answer, e.g. {@code 10m}
   */
  public record Config(
      String url,
      String connection,
      String sql,
      String table,
      Map<String, Object> params,
      Incremental incremental,
      PartitionBy partitionBy,
      String queryTimeout,
      dev.weir.tasks.contract.Contract contract) {}

  /**
   * @param column the column whose largest value is the high-water mark, e.g. {@code updated_at}
   * @param overlap how far before the mark to read again, e.g. {@code 5m} (a number for numbers)
   * @param initial {@code :since} for the first run, e.g. {@code '2026-01-01'}
   */
  public record Incremental(
      @Required(example = "updated_at") String column, String overlap, String initial) {}

  /**
   * @param column an integer column to split on, e.g. the primary key
   * @param partitions how many key ranges to read at once; defaults to 4
   */
  public record PartitionBy(@Required(example = "id") String column, Integer partitions) {
    int count() {
      return partitions == null ? 4 : partitions;
    }
  }

  @Override
  public String name() {
    return "jdbc.extract";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> validate(Config config) {
    var problems =
        new ArrayList<String>(dev.weir.tasks.contract.Contract.validate(config.contract()));
    String target =
        Databases.exactlyOne(
            config.url(),
            config.connection(),
            "`connection: source_pg` (named in weir.yaml) or `url: jdbc:postgresql://host/db`");
    if (target != null) {
      problems.add(target);
    }
    if ((config.sql() == null) == (config.table() == null)) {
      problems.add(
          (config.sql() == null ? "neither sql nor table is given" : "both sql and table are given")
              + "; give exactly one: `sql: SELECT * FROM orders WHERE updated_at >= :since` or"
              + " `table: orders`");
    }
    Incremental inc = config.incremental();
    if (inc != null
        && config.sql() != null
        && !Expressions.isTemplate(config.sql())
        && !NamedSql.parse(config.sql()).names().contains("since")) {
      problems.add(
          "incremental needs the query to filter on :since, e.g. `sql: SELECT * FROM orders WHERE "
              + inc.column()
              + " >= :since`");
    }
    if (inc != null && inc.overlap() != null && !Expressions.isTemplate(inc.overlap())) {
      String o = inc.overlap().strip();
      if (!o.matches("\\d+(\\.\\d+)?")) {
        try {
          Durations.parse(o);
        } catch (RuntimeException e) {
          problems.add(
              "incremental.overlap '"
                  + o
                  + "' is neither a duration ("
                  + Durations.EXAMPLES
                  + ") nor a number");
        }
      }
    }
    if (config.partitionBy() != null && config.partitionBy().count() < 1) {
      problems.add(
          "partitionBy.partitions must be at least 1, e.g. `partitions: 4`; got "
              + config.partitionBy().partitions());
    }
    if (config.params() != null && config.params().containsKey("since") && inc != null) {
      problems.add("params.since is set by incremental; remove it from params");
    }
    if (config.queryTimeout() != null && !Expressions.isTemplate(config.queryTimeout())) {
      try {
        Durations.parse(config.queryTimeout());
      } catch (RuntimeException e) {
        problems.add(
            "queryTimeout '" + config.queryTimeout() + "' is not a duration; use e.g. 10m");
      }
    }
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    ConnectionConfig source = Databases.resolve(config.url(), config.connection(), context);
    Dialect dialect = Dialect.of(source.url());
    Duration timeout =
        config.queryTimeout() == null ? null : Durations.parse(config.queryTimeout());
    var query = new SourceQuery(dialect, timeout);
    context.onCancel(query::cancel);

    var params = new LinkedHashMap<String, Object>();
    if (config.params() != null) {
      params.putAll(config.params());
    }
    String text = config.sql() != null ? config.sql() : "SELECT * FROM " + config.table();
    Incremental inc = config.incremental();
    Watermark since = null;
    if (inc != null) {
      if (config.table() != null) {
        text += " WHERE " + column(inc.column(), dialect) + " >= :since";
      }
      since = since(inc, context, source, dialect, NamedSql.parse(text));
      params.put("since", since.bindValue());
      context.logger().info("reading rows with " + inc.column() + " >= " + since.value());
    }

    Path out = context.stagingDir().resolve("data.parquet");
    Path db = context.stagingDir().resolve("extract.duckdb");
    Dataset dataset;
    int partitions;
    long started = System.nanoTime();
    try (DuckSession duck =
        DuckSession.open(
            "jdbc:duckdb:" + db.toAbsolutePath(), new java.util.Properties(), context)) {
      var stage = new ExtractStage(duck, query, source, dialect, context);
      List<String> tables;
      if (config.partitionBy() != null) {
        var split =
            new Partitions(config.partitionBy().column(), config.partitionBy().count(), dialect);
        tables = split.read(stage, text, params);
        partitions = tables.size();
      } else {
        tables = List.of(stage.read(0, NamedSql.parse(text), params));
        partitions = 1;
      }
      duck.exec(
          "COPY ("
              + String.join(" UNION ALL ", tables.stream().map(t -> "SELECT * FROM " + t).toList())
              + ") TO "
              + Sql.path(out)
              + " (FORMAT parquet)");
      dataset = duck.dataset(context.taskId(), out);
    } catch (SQLException e) {
      if (query.isCancelled()) {
        throw new TaskFailedException("jdbc.extract cancelled");
      }
      throw readFailure(source, e, context);
    } finally {
      Files.deleteIfExists(db);
      Files.deleteIfExists(db.resolveSibling("extract.duckdb.wal"));
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    context
        .logger()
        .info(
            String.format(
                Locale.ROOT,
                "read %,d rows in %.1f s%s",
                dataset.rowCount(),
                seconds,
                partitions > 1 ? " from " + partitions + " partitions" : ""));

    var outputs = new LinkedHashMap<String, Object>();
    outputs.put("partitions", partitions);
    if (config.contract() != null) {
      outputs.put("drift", config.contract().check(dataset, context));
    }
    Audit audit = audit(source, config, text, dataset);
    if (inc == null) {
      return TaskResult.of(dataset, outputs).withAudit(audit);
    }
    Watermark next = highWater(dataset, inc.column(), out, since, context);
    outputs.put("since", since.value());
    outputs.put(WATERMARK, next.value());
    return TaskResult.of(dataset, outputs)
        .withAudit(audit)
        .withState(Map.of(WATERMARK, next.stored()));
  }

  /** Rows read from the source tables the query names (no credentials in their names). */
  private static Audit audit(ConnectionConfig source, Config config, String sql, Dataset dataset) {
    Audit audit = Audit.NONE.read(dataset.rowCount());
    List<String> tables = SourceTables.of(config.table(), sql);
    for (String t : tables) {
      DatasetRef ref = DatasetRef.table(source.url(), t);
      audit = audit.input(tables.size() == 1 ? ref.withRows(dataset.rowCount()) : ref);
    }
    return audit;
  }

  /** {@code :since} for this run: the kept mark minus the overlap, or the initial value. */
  private static Watermark since(
      Incremental inc,
      TaskContext context,
      ConnectionConfig source,
      Dialect dialect,
      NamedSql sql) {
    Optional<String> kept = context.state(WATERMARK);
    if (kept.isPresent()) {
      return Watermark.parse(kept.get()).minus(inc.overlap());
    }
    Watermark.Kind kind;
    if (inc.initial() != null) {
      kind = Watermark.guess(inc.initial());
    } else {
      kind = probeKind(inc.column(), context, source, dialect, sql);
    }
    try {
      return Watermark.of(kind, inc.initial() != null ? inc.initial() : kind.minimum());
    } catch (IllegalArgumentException e) {
      throw TaskFailedException.permanent("incremental.initial: " + e.getMessage());
    }
  }

  /** The kind of the incremental column, from the query's result description. */
  private static Watermark.Kind probeKind(
      String column, TaskContext context, ConnectionConfig source, Dialect dialect, NamedSql sql) {
    try (Connection conn = Databases.open(source, context);
        var ps = conn.prepareStatement(sql.sql())) {
      var md = ps.getMetaData();
      if (md != null) {
        for (SourceColumns.Column c : SourceColumns.of(md, dialect)) {
          if (c.name().equalsIgnoreCase(column)) {
            return Watermark.Kind.ofDuckType(c.duckType());
          }
        }
      }
    } catch (SQLException e) {
      // the driver cannot describe the query before it runs; ask for initial below
    }
    throw TaskFailedException.permanent(
        "incremental: cannot tell the type of column '"
            + column
            + "' before the first run; set a start value, e.g. `initial: '2026-01-01'`"
            + " (or `initial: 0` for a number)");
  }

  private static Watermark highWater(
      Dataset dataset, String column, Path parquet, Watermark since, TaskContext context)
      throws SQLException {
    Dataset.Column c =
        dataset.schema().stream()
            .filter(x -> x.name().equalsIgnoreCase(column))
            .findFirst()
            .orElseThrow(() ->
                TaskFailedException.permanent(
                    "incremental column '"
                        + column
                        + "' is not among the columns read ("
                        + String.join(
                            ", ", dataset.schema().stream().map(Dataset.Column::name).toList())
                        + "); select it so Weir can keep the high-water mark"));
    Watermark.Kind kind = Watermark.Kind.ofDuckType(c.type());
    String col = Sql.id(c.name());
    String expr =
        switch (kind) {
          case TIMESTAMP -> "strftime(max(" + col + "), '%Y-%m-%dT%H:%M:%S.%f')";
          case TIMESTAMPTZ ->
              "strftime(max(" + col + ") AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ')";
          default -> "max(" + col + ")::VARCHAR";
        };
    String max;
    try (DuckSession duck = DuckSession.memory(context)) {
      var rows = duck.rows("SELECT " + expr + " AS m FROM " + Sql.readParquet(parquet), 1);
      max = rows.isEmpty() ? null : (String) rows.getFirst().get("m");
    }
    if (max == null) {
      // nothing new: keep the mark where it was (the overlap was only subtracted for reading)
      Optional<String> kept = context.state(WATERMARK);
      return kept.map(Watermark::parse).orElse(since);
    }
    return new Watermark(kind, max);
  }

  /** A column name for SQL Weir writes: plain names unquoted, so each database folds them. */
  static String column(String name, Dialect dialect) {
    return name.matches("[A-Za-z_][A-Za-z0-9_]*") ? name : dialect.quote(name);
  }

  private static TaskFailedException readFailure(
      ConnectionConfig source, SQLException e, TaskContext context) {
    String message =
        "jdbc.extract failed reading "
            + (source.name() == null ? Databases.redact(source.url()) : "'" + source.name() + "'")
            + ": "
            + Sql.message(e);
    return Databases.statementFailure(context.mask(Databases.scrub(message, source)), e);
  }
}
