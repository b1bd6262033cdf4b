package dev.weir.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of the runs list ({@link StateStore#searchRuns}): one statement for a page, one for its
 * count, plain SQL that H2 and PostgreSQL both run.
 *
 * <p>A page after a cursor is found by comparing sort keys ("keyset" paging), written out as {@code
 * k1 > ? OR (k1 = ? AND k2 > ?) …} rather than a row-value comparison: it also works for keys
 * sorted in different directions and for keys that may be null. The first key is bounded on its own
 * as well ({@code k1 >= ?}) so both databases can start the index scan there. Null sort keys (runs
 * not started, runs not ended) count as larger than every value, PostgreSQL's default, so its plain
 * B-tree indexes serve both directions.
 */
final class JdbcRunSearch {
  private final RunsDialect dialect;

  JdbcRunSearch(RunsDialect dialect) {
    this.dialect = dialect;
  }

  /** What a sort column holds, in a cursor too. */
  enum Kind {
    TIME(Instant.class),
    TEXT(String.class),
    MILLIS(Long.class);

    private final Class<?> type;

    Kind(Class<?> type) {
      this.type = type;
    }

    Class<?> type() {
      return type;
    }

    @Override
    public String toString() {
      return switch (this) {
        case TIME -> "time";
        case TEXT -> "text";
        case MILLIS -> "number of milliseconds";
      };
    }
  }

  /** A column of a sort order. */
  record Col(String sql, Kind kind, boolean nullable) {}

  private static final Col ID = new Col("id", Kind.TEXT, false);
  private static final Col CREATED = new Col("created_at", Kind.TIME, false);
  private static final Col STARTED = new Col("started_at", Kind.TIME, true);
  private static final Col DURATION = new Col("duration_ms", Kind.MILLIS, true);
  private static final Col NAMESPACE = new Col("namespace", Kind.TEXT, false);
  private static final Col FLOW = new Col("flow_id", Kind.TEXT, false);
  private static final Col STATE = new Col("state", Kind.TEXT, false);
  private static final Col TRIGGER = new Col("trigger_type", Kind.TEXT, false);

  /** The columns a sort orders by, the run id last; a cursor holds one value for each. */
  static List<Col> columns(RunSort.Key key) {
    return switch (key) {
      case CREATED -> List.of(CREATED, ID);
      case STARTED -> List.of(STARTED, ID);
      case DURATION -> List.of(DURATION, ID);
      case FLOW -> List.of(NAMESPACE, FLOW, CREATED, ID);
      case STATE -> List.of(STATE, CREATED, ID);
    };
  }

  /** The cursor that starts the page after {@code last}. */
  static RunCursor cursorAfter(RunSort sort, RunRecord last, Long durationMs) {
    var values = new ArrayList<Object>();
    for (Col c : columns(sort.key())) {
      values.add(
          switch (c.sql()) {
            case "id" -> last.id();
            case "created_at" -> last.createdAt();
            case "started_at" -> last.startedAt();
            case "duration_ms" -> durationMs;
            case "namespace" -> last.namespace();
            case "flow_id" -> last.flowId();
            case "state" -> last.state().name();
            default -> throw new IllegalStateException("no value for sort column " + c.sql());
          });
    }
    return new RunCursor(sort, values);
  }

  /** What a run's duration column holds: null until it has started and ended. */
  static Long durationMs(RunRecord r) {
    return r.startedAt() == null || r.endedAt() == null
        ? null
        : Duration.between(r.startedAt(), r.endedAt()).toMillis();
  }

  /** A statement's text and its arguments, in order. */
  record Sql(String text, List<Object> args) {
    void bind(PreparedStatement ps) throws SQLException {
      for (int i = 0; i < args.size(); i++) {
        switch (args.get(i)) {
          case Instant t -> JdbcWork.setTime(ps, i + 1, t);
          case Long l -> ps.setLong(i + 1, l);
          case Object o -> ps.setString(i + 1, o.toString());
        }
      }
    }
  }

  /**
   * The order a page is read in: the sort's columns, after the columns the filter holds to one
   * value where an index starts with those (a flow's or a state's newest runs read their index in
   * order, with no sort), and the index that has that order.
   */
  private record Order(List<Col> prefix, String index) {}

  private static Order order(RunFilter f, RunSort sort) {
    return switch (sort.key()) {
      case CREATED -> {
        if (f.namespace() != null && f.flowId() != null) {
          yield new Order(List.of(NAMESPACE, FLOW), "weir_runs_flow");
        } else if (f.triggers().size() == 1) {
          yield new Order(List.of(TRIGGER), "weir_runs_trigger");
        } else if (f.states().size() == 1) {
          yield new Order(List.of(STATE), "weir_runs_state");
        }
        yield new Order(List.of(), "weir_runs_created");
      }
      case STARTED -> new Order(List.of(), "weir_runs_started");
      case DURATION -> new Order(List.of(), "weir_runs_duration");
      case FLOW -> new Order(List.of(), "weir_runs_flow");
      case STATE -> new Order(List.of(), "weir_runs_state");
    };
  }

  /**
   * The runs of a page and the first run of the next one, if any ({@code limit + 1} rows): {@code
   * columns}, then {@code duration_ms}.
   *
   * @param many whether the filter matches many runs (more than {@link RunPage#COUNT_CAP}): then
   *     reading the index of the order and skipping the runs the filter leaves out stops sooner
   *     than sorting every run the filter keeps
   */
  Sql page(
      String columns, RunFilter filter, RunSort sort, int limit, RunCursor after, boolean many) {
    var where = new ArrayList<String>();
    var args = new ArrayList<Object>();
    filter(filter, where, args);
    if (after != null) {
      keyset(sort, after.values(), where, args);
    }
    Order order = order(filter, sort);
    var by = new ArrayList<String>();
    for (Col c : order.prefix()) {
      by.add(c.sql() + direction(c, sort.descending()));
    }
    for (Col c : columns(sort.key())) {
      by.add(c.sql() + direction(c, sort.descending()));
    }
    return new Sql(
        "SELECT "
            + columns
            + ", duration_ms FROM weir_runs"
            + (many ? dialect.readInOrderOf(order.index()) : "")
            + whereClause(where)
            + " ORDER BY "
            + String.join(", ", by)
            + " LIMIT "
            + (limit + 1),
        args);
  }

  /**
   * How many runs {@code filter} matches, counting at most {@link RunPage#COUNT_CAP} {@code + 1}
   * unless the database knows the count of a whole table at once.
   */
  Sql count(RunFilter filter) {
    var where = new ArrayList<String>();
    var args = new ArrayList<Object>();
    filter(filter, where, args);
    return new Sql(
        exactCount(filter)
            ? "SELECT COUNT(*) FROM weir_runs"
            : "SELECT COUNT(*) FROM (SELECT 1 FROM weir_runs"
                + whereClause(where)
                + " LIMIT "
                + (RunPage.COUNT_CAP + 1)
                + ") counted",
        args);
  }

  /** Whether {@link #count} counts every run, past the cap. */
  boolean exactCount(RunFilter filter) {
    return filter.equals(RunFilter.ANY) && dialect.countsAllRowsAtOnce();
  }

  private static String whereClause(List<String> where) {
    return where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
  }

  private static String direction(Col c, boolean desc) {
    if (!c.nullable()) {
      return desc ? " DESC" : "";
    }
    return desc ? " DESC NULLS FIRST" : " NULLS LAST";
  }

  private void filter(RunFilter f, List<String> where, List<Object> args) {
    if (f.namespace() != null) {
      where.add("namespace = ?");
      args.add(f.namespace());
    }
    if (f.flowId() != null) {
      where.add("flow_id = ?");
      args.add(f.flowId());
    }
    in("state", f.states().stream().map(Enum::name).sorted().toList(), where, args);
    in("trigger_type", f.triggers().stream().sorted().toList(), where, args);
    if (f.window() != null) {
      String col = f.window().field() == RunFilter.TimeField.STARTED ? "started_at" : "created_at";
      if (f.window().from() != null) {
        where.add(col + " >= ?");
        args.add(f.window().from());
      }
      if (f.window().to() != null) {
        where.add(col + " < ?");
        args.add(f.window().to());
      }
    }
    if (f.duration() != null) {
      if (f.duration().min() != null) {
        where.add("duration_ms >= ?");
        args.add(f.duration().min().toMillis());
      }
      if (f.duration().max() != null) {
        where.add("duration_ms <= ?");
        args.add(f.duration().max().toMillis());
      }
    }
  }

  private void in(String col, List<String> values, List<String> where, List<Object> args) {
    if (values.size() == 1) {
      where.add(col + " = ?");
    } else if (!values.isEmpty()) {
      where.add(dialect.oneOf(col, values.size()));
    }
    args.addAll(values);
  }

  /** Rows that come after {@code values} in the order of {@code sort}. */
  private static void keyset(
      RunSort sort, List<Object> values, List<String> where, List<Object> args) {
    List<Col> cols = columns(sort.key());
    boolean desc = sort.descending();
    // a bound on the first key alone, which an index range scan can start from
    Col first = cols.get(0);
    Object v0 = values.get(0);
    if (v0 == null) {
      if (!desc) {
        where.add(first.sql() + " IS NULL");
      }
    } else if (desc || !first.nullable()) {
      where.add(first.sql() + (desc ? " <= ?" : " >= ?"));
      args.add(v0);
    }
    var ors = new ArrayList<String>();
    for (int i = 0; i < cols.size(); i++) {
      var and = new ArrayList<String>();
      var andArgs = new ArrayList<Object>();
      for (int j = 0; j < i; j++) {
        Object v = values.get(j);
        if (v == null) {
          and.add(cols.get(j).sql() + " IS NULL");
        } else {
          and.add(cols.get(j).sql() + " = ?");
          andArgs.add(v);
        }
      }
      Col c = cols.get(i);
      Object v = values.get(i);
      if (v == null) {
        if (!desc) {
          continue; // nothing sorts after null going up
        }
        and.add(c.sql() + " IS NOT NULL");
      } else if (desc) {
        and.add(c.sql() + " < ?");
        andArgs.add(v);
      } else {
        and.add(
            c.nullable() ? "(" + c.sql() + " > ? OR " + c.sql() + " IS NULL)" : c.sql() + " > ?");
        andArgs.add(v);
      }
      ors.add(and.size() == 1 ? and.get(0) : "(" + String.join(" AND ", and) + ")");
      args.addAll(andArgs);
    }
    where.add(ors.isEmpty() ? "1 = 0" : "(" + String.join(" OR ", ors) + ")");
  }
}
