package dev.weir.tasks.jdbc;

import dev.weir.config.ConnectionConfig;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

/**
 * Runs one query on a database the jdbc tasks can reach (a {@code connection:} of weir.yaml or a
 * {@code url:}) and reads the first column of its first row: what the {@code wait.sql} sensor
 * checks. Connections, pools, DuckDB files relative to the flow and failure messages are the jdbc
 * tasks' own.
 */
public final class FirstValue {
  /**
   * @param found whether the query returned a row at all
   * @param value the first column of the first row, as the driver gives it; null without a row
   */
  public record Result(boolean found, Object value) {}

  private FirstValue() {}

  /** The validation problem when neither or both of url and connection are given, else null. */
  public static String targetProblem(String url, String connection) {
    return Databases.exactlyOne(
        url, connection, "`connection: warehouse` (named in weir.yaml) or `url: jdbc:h2:...`");
  }

  /**
   * @param task the task type, for messages ({@code wait.sql})
   * @param params values for the query's {@code :name} parameters
   * @param timeout how long the query may take, or null
   * @throws TaskFailedException naming the query when it fails: permanent for bad SQL or a missing
   *     table, a {@link TaskFailedException#connectionFailure() connection failure} when the
   *     database cannot be reached
   */
  public static Result query(
      String task,
      String url,
      String connection,
      String sql,
      Map<String, Object> params,
      Duration timeout,
      TaskContext context)
      throws java.io.IOException {
    ConnectionConfig target =
        Databases.located(Databases.resolve(url, connection, context), context);
    Dialect dialect = Dialect.of(target.url());
    NamedSql named = NamedSql.parse(sql.strip().replaceAll(";\\s*$", ""));
    try (Connection conn = Databases.open(target, context);
        PreparedStatement ps = conn.prepareStatement(named.sql())) {
      context.onCancel(() -> cancel(ps));
      for (int i = 0; i < named.names().size(); i++) {
        String name = named.names().get(i);
        if (!params.containsKey(name)) {
          throw TaskFailedException.permanent(
              task
                  + ": the query uses :"
                  + name
                  + " but no such parameter is given (given: "
                  + String.join(", ", params.keySet())
                  + "); add it under `params:`");
        }
        ps.setObject(i + 1, params.get(name));
      }
      if (timeout != null && dialect != Dialect.DUCKDB) {
        ps.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
      }
      ps.setMaxRows(1);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new Result(true, rs.getObject(1)) : new Result(false, null);
      }
    } catch (SQLException e) {
      if (context.isCancelled()) {
        throw new TaskFailedException(task + " cancelled");
      }
      throw Databases.statementFailure(
          task
              + ": the query ("
              + firstLine(sql)
              + ") failed on "
              + (target.name() == null
                  ? Databases.redact(target.url())
                  : "connection '" + target.name() + "'")
              + ": "
              + context.mask(Databases.scrub(String.valueOf(e.getMessage()), target)),
          e);
    }
  }

  private static void cancel(PreparedStatement ps) {
    try {
      ps.cancel();
    } catch (SQLException | RuntimeException e) {
      // it ended meanwhile
    }
  }

  private static String firstLine(String sql) {
    String line = sql.strip().lines().findFirst().orElse("").strip();
    return line.length() > 80 ? line.substring(0, 77) + "..." : line;
  }
}
