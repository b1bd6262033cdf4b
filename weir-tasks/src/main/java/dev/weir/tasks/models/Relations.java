package dev.weir.tasks.models;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tables and views in the target database over one connection: whether one exists, its columns, and
 * the atomic swap of a freshly built table into place (drop the old relation, rename the new one,
 * in one transaction — DuckDB and PostgreSQL both have transactional DDL). Every statement is
 * registered with the run's {@link InFlight}, so a cancel stops it. A statement or swap that loses
 * to another connection's concurrent change (a DuckDB transaction conflict, a PostgreSQL deadlock
 * or serialization failure) was rolled back and is run again ({@link ConflictRetry}). Which
 * relations exist comes from the run's {@link RelationCache}, which this class keeps up to date as
 * it creates, swaps and drops. A temporary relation a failed or cancelled node leaves is dropped by
 * {@link #dropTemporary}, on a statement the cancel does not refuse. One thread at a time.
 */
final class Relations {
  /**
   * How long a cleanup statement may run: it is not cancellable (it runs after the cancel), so it
   * is bounded this way instead.
   */
  static final int CLEANUP_TIMEOUT_SECONDS = 10;

  private static final String TMP = "__weir_tmp";
  private static final String NEW = "__weir_new";

  /** Creates a schema if it does not exist, once per run ({@link Sessions}). */
  @FunctionalInterface
  interface SchemaCreator {
    void create(Relations on, String schema) throws SQLException;
  }

  @FunctionalInterface
  private interface Reader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private final Connection c;
  private final Target.Dialect dialect;
  private final InFlight inFlight;
  private final SchemaCreator schemas;
  private final RelationCache cache;
  private final List<String[]> pending = new ArrayList<>(); // changes of the open transaction
  private boolean inTransaction;
  private final ConflictRetry retry;

  /** A connection of its own, not cancellable from outside: a test's or a tool's. */
  Relations(Connection c, Target.Dialect dialect) {
    this(
        c,
        dialect,
        new InFlight(),
        (on, schema) -> on.execute("create schema if not exists " + on.q(schema)),
        new RelationCache());
  }

  Relations(
      Connection c,
      Target.Dialect dialect,
      InFlight inFlight,
      SchemaCreator schemas,
      RelationCache cache) {
    this.c = c;
    this.dialect = dialect;
    this.inFlight = inFlight;
    this.schemas = schemas;
    this.cache = cache;
    this.retry = new ConflictRetry(c, inFlight);
  }

  Connection connection() {
    return c;
  }

  /** Tells {@code listener} of each conflict before it is retried (tests make one certain). */
  Relations onRetry(ConflictRetry.Listener listener) {
    retry.listener(listener);
    return this;
  }

  String q(String identifier) {
    return dialect.quote(identifier);
  }

  String name(String schema, String name) {
    return q(schema) + "." + q(name);
  }

  /**
   * {@code BASE TABLE}, {@code VIEW} (or another table_type), or null when there is none: from the
   * cache, which reads the schema's relations the first time.
   */
  String kind(String schema, String name) throws SQLException {
    return cache.kind(schema, name, this::relationsOf);
  }

  private Map<String, String> relationsOf(String schema) throws SQLException {
    return query(
        "select table_name, table_type from information_schema.tables where table_schema = ?",
        List.of(schema),
        rs -> {
          var out = new HashMap<String, String>();
          while (rs.next()) {
            out.put(rs.getString(1), rs.getString(2));
          }
          return out;
        });
  }

  /** The column names of {@code schema.name}, in order. */
  List<String> columns(String schema, String name) throws SQLException {
    return query(
        "select column_name from information_schema.columns"
            + " where table_schema = ? and table_name = ? order by ordinal_position",
        List.of(schema, name),
        rs -> {
          var out = new ArrayList<String>();
          while (rs.next()) {
            out.add(rs.getString(1));
          }
          return out;
        });
  }

  /** The SQL type of one column, as the database names it. */
  String type(String schema, String name, String column) throws SQLException {
    return query(
        "select data_type from information_schema.columns"
            + " where table_schema = ? and table_name = ? and column_name = ?",
        List.of(schema, name, column),
        rs -> rs.next() ? rs.getString(1) : "text");
  }

  void execute(String sql) throws SQLException {
    update(sql);
  }

  /** Runs {@code sql}; the rows it wrote as the driver reports them, or -1 when it does not. */
  long update(String sql) throws SQLException {
    long[] count = {-1};
    retry.run(
        () -> {
          Statement st = inFlight.track(c.createStatement());
          try (st) { // a close that fails is suppressed into the statement's own error
            count[0] = st.execute(sql) ? -1 : st.getUpdateCount();
          } finally {
            inFlight.forget(st);
          }
        },
        false);
    return count[0];
  }

  /**
   * Runs {@code create}, which makes {@code schema.name} a {@code kind} ({@code BASE TABLE}, {@code
   * VIEW}); the rows it wrote if the driver says (a {@code CREATE TABLE … AS} on DuckDB and
   * PostgreSQL does), else -1.
   */
  long create(String schema, String name, String kind, String create) throws SQLException {
    long rows = update(create);
    changed(schema, name, kind);
    return rows;
  }

  long count(String relation) throws SQLException {
    return query(
        "select count(*) from " + relation,
        List.of(),
        rs -> {
          rs.next();
          return rs.getLong(1);
        });
  }

  /**
   * A prepared statement registered for cancelling; close it and give it back to {@link #forget}.
   */
  PreparedStatement prepare(String sql) throws SQLException {
    return inFlight.track(c.prepareStatement(sql));
  }

  /** Unregisters {@code st} from cancelling; its caller closes it. */
  void forget(Statement st) {
    inFlight.forget(st);
  }

  void createSchema(String schema) throws SQLException {
    schemas.create(this, schema);
  }

  /** Drops whatever {@code schema.name} is (a table or a view); nothing if it does not exist. */
  void drop(String schema, String name) throws SQLException {
    String kind = kind(schema, name);
    if (kind != null) {
      // if exists: a view the cache lists may have gone with a table PostgreSQL dropped cascading
      execute(
          "drop "
              + ("VIEW".equals(kind) ? "view" : "table")
              + " if exists "
              + name(schema, name)
              + (dialect == Target.Dialect.POSTGRES ? " cascade" : ""));
      changed(schema, name, null);
    }
  }

  /**
   * Drops the temporary table {@code schema.tmp} after {@code failure} (which this adds its own
   * failure to, suppressed), on a statement of its own: not refused after a cancel, so a cancelled
   * node leaves no temporary relation, and bounded by {@value #CLEANUP_TIMEOUT_SECONDS} s instead.
   * Outside a transaction only (a failed one has been rolled back by then).
   */
  void dropTemporary(String schema, String tmp, Throwable failure) {
    try {
      retry.run(
          () -> {
            try (Statement st = c.createStatement()) {
              st.setQueryTimeout(CLEANUP_TIMEOUT_SECONDS);
              st.execute(
                  "drop table if exists "
                      + name(schema, tmp)
                      + (dialect == Target.Dialect.POSTGRES ? " cascade" : ""));
            }
          },
          true);
      changed(schema, tmp, null);
    } catch (SQLException | RuntimeException e) {
      cache.invalidate(schema);
      failure.addSuppressed(e);
    }
  }

  /**
   * Replaces {@code schema.name} by {@code schema.tmp} in one transaction: readers see the old
   * table until the commit. {@code after} runs in the same transaction (e.g. a unique index).
   */
  void swap(String schema, String tmp, String name, String after) throws SQLException {
    transaction(
        schema,
        () -> {
          drop(schema, name);
          execute("alter table " + name(schema, tmp) + " rename to " + q(name));
          changed(schema, tmp, null);
          changed(schema, name, "BASE TABLE");
          if (after != null) {
            execute(after);
          }
        });
  }

  /**
   * Drops {@code schema.name} and runs {@code create}, making it a {@code kind}, in one
   * transaction.
   */
  void replace(String schema, String name, String kind, String create) throws SQLException {
    transaction(
        schema,
        () -> {
          drop(schema, name);
          create(schema, name, kind, create);
        });
  }

  /** The temporary name a relation is built under before the swap. */
  static String temporary(String name) {
    return name + TMP;
  }

  /** The temporary name an incremental model's new rows are built under. */
  static String incoming(String name) {
    return name + NEW;
  }

  /** Whether {@code name} is one of the temporary names above. */
  static boolean isTemporary(String name) {
    return name.endsWith(TMP) || name.endsWith(NEW);
  }

  /**
   * Runs {@code body} in one transaction, all of it again if it lost a conflict. The cache learns
   * its changes after the commit; if it fails, {@code schema} is read again next time.
   */
  void transaction(String schema, ConflictRetry.SqlAction body) throws SQLException {
    retry.run(
        () -> {
          boolean auto = c.getAutoCommit();
          c.setAutoCommit(false);
          inTransaction = true;
          try {
            body.run();
            c.commit();
            inTransaction = false;
            pending.forEach(p -> cache.put(p[0], p[1], p[2]));
          } catch (SQLException | RuntimeException e) {
            cache.invalidate(schema);
            pending.forEach(p -> cache.invalidate(p[0]));
            c.rollback();
            throw e;
          } finally {
            inTransaction = false;
            pending.clear();
            c.setAutoCommit(auto);
          }
        },
        false);
  }

  /**
   * {@code schema.name} became {@code kind} (null: dropped): now, or when the transaction commits.
   */
  private void changed(String schema, String name, String kind) {
    if (inTransaction) {
      pending.add(new String[] {schema, name, kind});
    } else {
      cache.put(schema, name, kind);
    }
  }

  private <T> T query(String sql, List<String> args, Reader<T> reader) throws SQLException {
    PreparedStatement ps = prepare(sql);
    try (ps) { // a close that fails is suppressed into the query's own error
      for (int i = 0; i < args.size(); i++) {
        ps.setString(i + 1, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        return reader.read(rs);
      }
    } finally {
      inFlight.forget(ps);
    }
  }
}
