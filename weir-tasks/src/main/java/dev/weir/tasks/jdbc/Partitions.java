package dev.weir.tasks.jdbc;

import dev.weir.task.TaskFailedException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Splits a query into key ranges of an integer column and reads them at once, each on its own
 * connection. Rows whose key is null go with the first range.
 */
final class Partitions {
  private final String column;
  private final int count;
  private final Dialect dialect;

  Partitions(String column, int count, Dialect dialect) {
    this.column = column;
    this.count = count;
    this.dialect = dialect;
  }

  List<String> read(ExtractStage stage, String sql, Map<String, Object> params)
      throws SQLException, InterruptedException {
    String col = JdbcExtractTask.column(column, dialect);
    String inner = "(" + sql + ") weir_q";
    BigInteger[] bounds =
        bounds(stage, "SELECT min(" + col + "), max(" + col + ") FROM " + inner, params);
    if (bounds == null) {
      return List.of(stage.read(0, NamedSql.parse(sql), params));
    }
    BigInteger min = bounds[0];
    BigInteger span = bounds[1].subtract(min).add(BigInteger.ONE);
    int n = span.min(BigInteger.valueOf(count)).intValue(); // no more ranges than keys
    BigInteger step = span.add(BigInteger.valueOf(n - 1)).divide(BigInteger.valueOf(n));
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      var futures = new ArrayList<Future<String>>();
      for (int k = 0; k < n; k++) {
        BigInteger lo = min.add(step.multiply(BigInteger.valueOf(k)));
        BigInteger hi = lo.add(step);
        var p = new LinkedHashMap<>(params);
        p.put("weir_lo", new BigDecimal(lo));
        p.put("weir_hi", new BigDecimal(hi));
        String where = col + " >= :weir_lo AND " + col + " < :weir_hi";
        if (k == 0) {
          where = "(" + where + " OR " + col + " IS NULL)";
        }
        NamedSql part = NamedSql.parse("SELECT * FROM " + inner + " WHERE " + where);
        int index = k;
        futures.add(pool.submit(() -> stage.read(index, part, p)));
      }
      var tables = new ArrayList<String>();
      for (Future<String> f : futures) {
        try {
          tables.add(f.get());
        } catch (ExecutionException e) {
          stage.query().cancel();
          if (e.getCause() instanceof SQLException s) {
            throw s;
          }
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          throw new SQLException(e.getCause());
        }
      }
      return tables;
    }
  }

  private BigInteger[] bounds(ExtractStage stage, String sql, Map<String, Object> params)
      throws SQLException {
    try (Connection conn = stage.open();
        PreparedStatement ps = stage.query().prepare(conn, NamedSql.parse(sql), params);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      Object lo = rs.getObject(1);
      Object hi = rs.getObject(2);
      ExtractStage.endReadTransaction(conn);
      if (lo == null || hi == null) {
        return null;
      }
      return new BigInteger[] {integer(lo), integer(hi)};
    }
  }

  private BigInteger integer(Object value) {
    try {
      return new BigDecimal(value.toString()).toBigIntegerExact();
    } catch (ArithmeticException | NumberFormatException e) {
      throw TaskFailedException.permanent(
          "partitionBy column '"
              + column
              + "' holds '"
              + value
              + "', not a whole number; split on an integer column such as the primary key");
    }
  }
}
