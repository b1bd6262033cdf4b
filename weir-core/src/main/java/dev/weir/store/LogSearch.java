package dev.weir.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * A run's log a page at a time, filtered in the database by task, attempt, level and a search text,
 * so that neither the server nor the browser ever holds a large log whole (a page of a 50 MB log
 * reads only its lines; a search scans the run's lines once, in the database). Pages are keyed by
 * the lines' ids ({@code after} / {@code before}), which stay stable while a run keeps logging.
 */
public final class LogSearch {
  /** At most this many lines per page. */
  public static final int MAX_LIMIT = 5000;

  private final DataSource ds;

  public LogSearch(DataSource ds) {
    this.ds = ds;
  }

  /**
   * What to show.
   *
   * @param after lines with an id above this (0: from the start)
   * @param before lines with an id below this, newest first then returned in order (0: unused)
   * @param attempt the task attempt (1, 2…) whose lines to show (0: every attempt)
   * @param text a search text, case-insensitive (null: any)
   */
  public record Query(
      String runId,
      String task,
      int attempt,
      String level,
      String text,
      long after,
      long before,
      int limit) {
    public Query {
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
      }
      if (attempt < 0) {
        throw new IllegalArgumentException(
            "attempt must be 1 or more (0: every attempt), got " + attempt);
      }
    }

    /** Lines of every attempt. */
    public Query(
        String runId, String task, String level, String text, long after, long before, int limit) {
      this(runId, task, 0, level, text, after, before, limit);
    }
  }

  /** A stored line with its id (a stable anchor for links). */
  public record Line(long id, LogLine line) {}

  /** A page: its lines in order, and whether there are more before and after it. */
  public record Page(List<Line> lines, boolean more, boolean earlier) {}

  public Page page(Query q) {
    var where = new StringBuilder("run_id = ?");
    var args = new ArrayList<Object>();
    args.add(q.runId());
    if (q.task() != null) {
      where.append(" AND task_id = ?");
      args.add(q.task());
    }
    if (q.attempt() > 0) {
      where.append(" AND attempt = ?");
      args.add(q.attempt());
    }
    if (q.level() != null) {
      where.append(" AND level = ?");
      args.add(q.level().toUpperCase(Locale.ROOT));
    }
    if (q.text() != null && !q.text().isEmpty()) {
      where.append(" AND LOWER(message) LIKE ? ESCAPE '!'");
      args.add("%" + likeEscape(q.text().toLowerCase(Locale.ROOT)) + "%");
    }
    boolean backwards = q.before() > 0;
    String sql;
    if (backwards) {
      sql =
          "SELECT id, run_id, task_id, attempt, ts, level, message FROM weir_logs WHERE "
              + where
              + " AND id < ? ORDER BY id DESC LIMIT ?";
      args.add(q.before());
    } else {
      sql =
          "SELECT id, run_id, task_id, attempt, ts, level, message FROM weir_logs WHERE "
              + where
              + " AND id > ? ORDER BY id LIMIT ?";
      args.add(q.after());
    }
    args.add(q.limit() + 1); // one more: is there a next page?
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      var lines = new ArrayList<Line>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          lines.add(
              new Line(
                  rs.getLong(1),
                  new LogLine(
                      rs.getString(2),
                      rs.getString(3),
                      rs.getInt(4),
                      time(rs, 5),
                      rs.getString(6),
                      rs.getString(7))));
        }
      }
      boolean beyond = lines.size() > q.limit();
      if (beyond) {
        lines.remove(lines.size() - 1);
      }
      if (backwards) {
        java.util.Collections.reverse(lines);
        return new Page(lines, true, beyond);
      }
      return new Page(lines, beyond, q.after() > 0);
    } catch (SQLException e) {
      throw new dev.weir.WeirException(
          "could not read the log of run " + q.runId() + ": " + e.getMessage(), e);
    }
  }

  /** How many lines the run has (all tasks and levels). */
  public long count(String runId) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT COUNT(*) FROM weir_logs WHERE run_id = ?")) {
      ps.setString(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new dev.weir.WeirException(
          "could not count the log of run " + runId + ": " + e.getMessage(), e);
    }
  }

  /** The distinct tasks that logged in a run (for a filter). */
  public List<String> tasks(String runId) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT DISTINCT task_id FROM weir_logs WHERE run_id = ? AND task_id IS NOT NULL"
                    + " ORDER BY task_id")) {
      ps.setString(1, runId);
      var out = new ArrayList<String>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new dev.weir.WeirException(
          "could not read the log of run " + runId + ": " + e.getMessage(), e);
    }
  }

  /** The distinct task attempts (1, 2…) that logged in a run, of one task or of any (null). */
  public List<Integer> attempts(String runId, String task) {
    String sql =
        "SELECT DISTINCT attempt FROM weir_logs WHERE run_id = ?"
            + (task == null ? "" : " AND task_id = ?")
            + " ORDER BY attempt";
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, runId);
      if (task != null) {
        ps.setString(2, task);
      }
      var out = new ArrayList<Integer>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getInt(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new dev.weir.WeirException(
          "could not read the log of run " + runId + ": " + e.getMessage(), e);
    }
  }

  static String likeEscape(String s) {
    return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      if (a instanceof Long l) {
        ps.setLong(i + 1, l);
      } else if (a instanceof Integer n) {
        ps.setInt(i + 1, n);
      } else {
        ps.setString(i + 1, (String) a);
      }
    }
  }

  private static Instant time(ResultSet rs, int i) throws SQLException {
    Object o = rs.getObject(i);
    if (o instanceof OffsetDateTime odt) {
      return odt.toInstant();
    }
    if (o instanceof Timestamp ts) {
      return ts.toInstant();
    }
    return rs.getObject(i, OffsetDateTime.class).toInstant();
  }
}
