package dev.weir.store;

import static dev.weir.store.JdbcWork.clip;
import static dev.weir.store.JdbcWork.marks;
import static dev.weir.store.JdbcWork.setTime;
import static dev.weir.store.JdbcWork.time;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Runs, in {@code weir_runs}: written within a batch's transaction ({@link #insert}, {@link
 * #update}), found by id or prefix, listed and searched page by page. Who owns a run is {@link
 * JdbcRunOwnership}'s; a run that names no owner any more names no owner node either.
 */
final class JdbcRuns {
  static final String RUN_COLUMNS =
      "id, namespace, flow_id, revision, flow_file, state, inputs, logical_date, trigger_type, attempt,"
          + " created_at, started_at, ended_at, error, owner, trigger_data";
  // a run's duration is kept beside it, written with it, so the runs list can sort and filter on it
  // with an index on both databases instead of date arithmetic that each spells its own way
  private static final String RUN_WRITE_COLUMNS = RUN_COLUMNS + ", duration_ms";

  private final JdbcWork work;
  private final JdbcRunSearch paging;

  JdbcRuns(DataSource ds, String description, StoreRetry retry, RunsDialect dialect) {
    this.work = new JdbcWork(ds, description, retry);
    this.paging = new JdbcRunSearch(dialect);
  }

  /**
   * Inserts runs on the connection of the caller's transaction: claimed by {@code owner} (fence 1,
   * see {@link StateStore.Batch#ownedBy}) unless it is null.
   */
  static void insert(Connection c, List<RunRecord> runs, Claimant owner) throws SQLException {
    if (runs.isEmpty()) {
      return;
    }
    try (var ps =
        c.prepareStatement(
            "INSERT INTO weir_runs ("
                + RUN_WRITE_COLUMNS
                + ", owner_node, owner_epoch, fence) VALUES ("
                + marks(20)
                + ")")) {
      for (RunRecord r : runs) {
        bind(ps, r);
        ps.setString(18, owner == null ? null : owner.node());
        if (owner == null || owner.node() == null) {
          ps.setNull(19, Types.BIGINT);
        } else {
          ps.setLong(19, owner.epoch());
        }
        ps.setLong(20, owner == null ? 0 : 1);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Updates runs on the connection of the caller's transaction; each must exist. */
  static void update(Connection c, List<RunRecord> runs) throws SQLException {
    if (runs.isEmpty()) {
      return;
    }
    try (var ps =
        c.prepareStatement(
            "UPDATE weir_runs SET id = ?, namespace = ?, flow_id = ?, revision = ?, flow_file = ?,"
                + " state = ?, inputs = ?, logical_date = ?, trigger_type = ?,"
                + " attempt = ?, created_at = ?, started_at = ?, ended_at = ?,"
                + " error = ?, owner = ?, trigger_data = ?, duration_ms = ?,"
                // a run nobody executes any more (it ended) names no owner node either
                + " owner_node = CASE WHEN CAST(? AS VARCHAR(200)) IS NULL THEN NULL"
                + " ELSE owner_node END,"
                + " owner_epoch = CASE WHEN CAST(? AS VARCHAR(200)) IS NULL THEN NULL"
                + " ELSE owner_epoch END WHERE id = ?")) {
      for (RunRecord r : runs) {
        bind(ps, r);
        ps.setString(18, r.owner());
        ps.setString(19, r.owner());
        ps.setString(20, r.id());
        ps.addBatch();
      }
      JdbcWork.requireUpdated(ps.executeBatch(), runs, r -> "run '" + r.id() + "'");
    }
  }

  Optional<RunRecord> find(String runId) {
    return work
        .query(
            "SELECT " + RUN_COLUMNS + " FROM weir_runs WHERE id = ?",
            ps -> ps.setString(1, runId),
            JdbcRuns::read)
        .stream()
        .findFirst();
  }

  List<RunRecord> findByPrefix(String prefix, int limit) {
    return work.query(
        "SELECT "
            + RUN_COLUMNS
            + " FROM weir_runs WHERE id LIKE ? ESCAPE '!' ORDER BY created_at DESC, id"
            + " DESC LIMIT "
            + Math.max(1, limit),
        ps -> ps.setString(1, likePrefix(prefix)),
        JdbcRuns::read);
  }

  /** A LIKE pattern matching {@code prefix} literally, with '!' as the escape character. */
  static String likePrefix(String prefix) {
    return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
  }

  List<RunRecord> list(StateStore.RunQuery q) {
    int limit = Math.max(1, q.limit());
    var sql = paging.page(RUN_COLUMNS, q.filter(), RunSort.NEWEST, limit, null, false);
    var runs = work.query(sql.text(), sql::bind, JdbcRuns::read);
    return runs.size() > limit ? runs.subList(0, limit) : runs;
  }

  /** A run with what its duration column holds, for the cursor of the next page. */
  private record Found(RunRecord run, Long durationMs) {}

  /**
   * Counts first: how many runs the filter keeps decides how the page is best read (see {@link
   * JdbcRunSearch#page}).
   */
  RunPage search(RunSearch s) {
    var count = paging.count(s.filter());
    long total = work.query(count.text(), count::bind, rs -> rs.getLong(1)).getFirst();
    boolean exact = total <= RunPage.COUNT_CAP || paging.exactCount(s.filter());
    var sql =
        paging.page(
            RUN_COLUMNS, s.filter(), s.sort(), s.limit(), s.after(), total > RunPage.COUNT_CAP);
    List<Found> found =
        work.query(
            sql.text(),
            sql::bind,
            rs -> {
              long d = rs.getLong(17);
              Long duration = rs.wasNull() ? null : d;
              return new Found(read(rs), duration);
            });
    boolean more = found.size() > s.limit();
    var shown = more ? found.subList(0, s.limit()) : found;
    RunCursor next =
        more
            ? JdbcRunSearch.cursorAfter(
                s.sort(), shown.getLast().run(), shown.getLast().durationMs())
            : null;
    return new RunPage(
        shown.stream().map(Found::run).toList(), exact ? total : RunPage.COUNT_CAP, exact, next);
  }

  /** See {@link StateStore#endedAt}. */
  Map<String, Instant> endedAt(Collection<String> runIds) {
    var out = new HashMap<String, Instant>();
    var ids = List.copyOf(runIds);
    for (int from = 0; from < ids.size(); from += 500) {
      var chunk = ids.subList(from, Math.min(ids.size(), from + 500));
      work.query(
              "SELECT id, ended_at FROM weir_runs WHERE ended_at IS NOT NULL"
                  + " AND state IN ('SUCCEEDED', 'FAILED', 'CANCELLED') AND id IN ("
                  + marks(chunk.size())
                  + ")",
              ps -> {
                for (int i = 0; i < chunk.size(); i++) {
                  ps.setString(i + 1, chunk.get(i));
                }
              },
              rs -> Map.entry(rs.getString(1), time(rs, 2)))
          .forEach(e -> out.put(e.getKey(), e.getValue()));
    }
    return out;
  }

  private static void bind(PreparedStatement ps, RunRecord r) throws SQLException {
    ps.setString(1, r.id());
    ps.setString(2, r.namespace());
    ps.setString(3, r.flowId());
    ps.setString(4, r.revision());
    ps.setString(5, r.flowFile());
    ps.setString(6, r.state().name());
    ps.setString(7, r.inputs());
    setTime(ps, 8, r.logicalDate());
    ps.setString(9, r.trigger());
    ps.setInt(10, r.attempt());
    setTime(ps, 11, r.createdAt());
    setTime(ps, 12, r.startedAt());
    setTime(ps, 13, r.endedAt());
    ps.setString(14, clip(r.error()));
    ps.setString(15, r.owner());
    ps.setString(16, r.triggerData());
    Long duration = JdbcRunSearch.durationMs(r);
    if (duration == null) {
      ps.setNull(17, Types.BIGINT);
    } else {
      ps.setLong(17, duration);
    }
  }

  /** A run from the {@link #RUN_COLUMNS} of the current row. */
  static RunRecord read(ResultSet rs) throws SQLException {
    return new RunRecord(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        RunState.valueOf(rs.getString(6)),
        rs.getString(7),
        time(rs, 8),
        rs.getString(9),
        rs.getInt(10),
        time(rs, 11),
        time(rs, 12),
        time(rs, 13),
        rs.getString(14),
        rs.getString(15),
        rs.getString(16));
  }
}
