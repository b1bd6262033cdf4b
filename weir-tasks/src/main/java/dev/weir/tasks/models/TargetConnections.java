package dev.weir.tasks.models;

import java.sql.Connection;
import java.sql.SQLException;
import org.duckdb.DuckDBConnection;

/**
 * Where a run gets its connections to the target: {@link ProjectRunner} opens one for each worker
 * thread that runs a node (at most {@code threads}), uses it from that thread only, and closes it
 * when the run ends. {@link #open()} may be called from several threads at once.
 *
 * <p>PostgreSQL: {@code () -> DriverManager.getConnection(url)}. DuckDB: {@link #duckdb}, so that
 * every worker has its own connection to the one database (a file or in-memory).
 */
@FunctionalInterface
public interface TargetConnections {
  /** A new connection; the caller closes it. */
  Connection open() throws SQLException;

  /**
   * Connections to the DuckDB database {@code db} is connected to ({@code
   * DuckDBConnection.duplicate()}); {@code db} itself stays the caller's to close, after the run.
   */
  static TargetConnections duckdb(Connection db) throws SQLException {
    if (!db.isWrapperFor(DuckDBConnection.class)) {
      throw new IllegalArgumentException(
          "TargetConnections.duckdb needs a DuckDB connection (jdbc:duckdb:…), not "
              + db.getClass().getName()
              + "; for other databases give a supplier of new connections");
    }
    DuckDBConnection duck = db.unwrap(DuckDBConnection.class);
    return duck::duplicate;
  }
}
