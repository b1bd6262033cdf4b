package dev.weir.store;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * How many runs were created since an instant, by state and by hour, counted by the database: the
 * overview's figures read only the runs of the window (an index range on {@code created_at}), never
 * the runs themselves, however many are stored before it.
 *
 * <p>Hours are numbered from {@code firstHour} by arithmetic on epoch seconds ({@code EXTRACT(EPOCH
 * FROM created_at)}, an absolute instant on H2 and PostgreSQL alike), not by truncating timestamps:
 * a truncation happens in the session's time zone, which would move the buckets by half an hour in
 * Kolkata.
 */
public final class RunCounts {
  private final DataSource ds;

  public RunCounts(DataSource ds) {
    this.ds = ds;
  }

  /** The counts of {@link #count}. */
  public static final class Tally {
    private final Map<RunState, Long> byState = new EnumMap<>(RunState.class);
    private final long[][] byHour;

    private Tally(int hours) {
      for (RunState s : RunState.values()) {
        byState.put(s, 0L);
      }
      byHour = new long[hours][RunState.values().length];
    }

    /** Runs in this state created at or after {@code since}. */
    public long of(RunState state) {
      return byState.get(state);
    }

    /** Every run created at or after {@code since}. */
    public long total() {
      return byState.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Runs in this state created in hour {@code hour} (0: the one starting at firstHour). */
    public long inHour(int hour, RunState state) {
      return byHour[hour][state.ordinal()];
    }

    public int hours() {
      return byHour.length;
    }
  }

  /**
   * Counts the runs created at or after {@code since} by state, and those of them created in each
   * of the {@code hours} hours from {@code firstHour} by state; runs created before {@code since}
   * are in no hour.
   */
  public Tally count(Instant since, Instant firstHour, int hours) {
    if (hours < 0 || hours > 24 * 366) {
      throw new IllegalArgumentException("hours must be 0.." + 24 * 366 + ", got " + hours);
    }
    // the first hour's epoch second is written into the statement: a parameter in arithmetic needs
    // a cast on PostgreSQL, and it is a number this class computed, never text from outside
    long origin = firstHour.getEpochSecond();
    String sql =
        "SELECT h, state, COUNT(*) FROM (SELECT FLOOR((EXTRACT(EPOCH FROM created_at) - "
            + origin
            + ") / "
            + Duration.ofHours(1).toSeconds()
            + ") AS h, state FROM weir_runs WHERE created_at >= ?) x GROUP BY h, state";
    var tally = new Tally(hours);
    try (var c = ds.getConnection();
        var ps = c.prepareStatement(sql)) {
      JdbcWork.setTime(ps, 1, since);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          long h = rs.getLong(1);
          RunState state = RunState.valueOf(rs.getString(2));
          long n = rs.getLong(3);
          tally.byState.merge(state, n, Long::sum);
          if (h >= 0 && h < hours) {
            tally.byHour[(int) h][state.ordinal()] += n;
          }
        }
      }
    } catch (SQLException e) {
      throw new dev.weir.WeirException("state store: cannot count runs: " + e.getMessage(), e);
    }
    return tally;
  }
}
