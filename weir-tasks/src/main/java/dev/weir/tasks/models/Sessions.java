package dev.weir.tasks.models;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of one run: one per worker thread, opened from a {@link TargetConnections} the
 * first time the thread needs one and closed by {@link #close()}. The schemas the run created are
 * shared, and created one at a time: two connections running {@code create schema if not exists} at
 * once conflict on DuckDB (a catalog write-write conflict) and on PostgreSQL (a duplicate key). So
 * is the {@link RelationCache}: which tables and views exist.
 */
final class Sessions implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("weir.models");

  private final TargetConnections source;
  private final boolean owned;
  private final Target.Dialect dialect;
  private final InFlight inFlight;
  private final Set<String> schemas = ConcurrentHashMap.newKeySet();
  private final RelationCache relations = new RelationCache();
  private final Map<Thread, Relations> open = new ConcurrentHashMap<>();

  /** {@code owned}: whether the connections are this run's to close. */
  Sessions(TargetConnections source, boolean owned, Target.Dialect dialect, InFlight inFlight) {
    this.source = source;
    this.owned = owned;
    this.dialect = dialect;
    this.inFlight = inFlight;
  }

  /** The current thread's connection, opened on first use. */
  Relations current() throws SQLException {
    Relations r = open.get(Thread.currentThread());
    if (r == null) {
      Connection c = source.open();
      r = new Relations(c, dialect, inFlight, this::createSchema, relations);
      open.put(Thread.currentThread(), r);
    }
    return r;
  }

  private void createSchema(Relations on, String schema) throws SQLException {
    if (schemas.contains(schema)) {
      return;
    }
    synchronized (schemas) {
      if (!schemas.contains(schema)) {
        on.execute("create schema if not exists " + on.q(schema));
        schemas.add(schema);
      }
    }
  }

  @Override
  public void close() {
    if (owned) {
      for (Relations r : open.values()) {
        try {
          r.connection().close();
        } catch (SQLException e) {
          LOG.warn("closing a connection to the target failed: {}", e.getMessage());
        }
      }
    }
    open.clear();
  }
}
