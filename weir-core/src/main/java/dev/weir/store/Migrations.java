package dev.weir.store;

import dev.weir.WeirException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * Brings a store's schema up to date from the numbered scripts beside this class.
 *
 * <p>A few lines instead of Flyway: the CLI opens the store on every command, and Flyway's
 * class-path scanning cost more start-up time than the whole run of a small flow (see
 * docs/decisions.md).
 */
final class Migrations {
  /**
   * The scripts in order: {@code V<n>__<name>.sql}, each named for what it adds. A database records
   * only the number it is at, so a script's name can change.
   */
  private static final List<String> NAMES =
      List.of(
          "init",
          "task_state_updates",
          "server_flows_triggers_backfills_and_tokens",
          "backfill_slots",
          "check_results",
          "task_audit",
          "alerts_and_slas",
          "runs_ended_index",
          "task_processes",
          "runs_list_sort_indexes",
          "dataset_writes",
          "run_parents",
          "cluster_nodes_and_run_fences",
          "leases_pool_slots_and_flow_removals",
          "routed_task_attempts",
          "circuit_breakers",
          "attempt_queue_one_row_per_attempt",
          "stream_offsets",
          "dead_letters");

  static final int LATEST = NAMES.size();

  private Migrations() {}

  /**
   * The PostgreSQL advisory lock nodes hold while they migrate a schema, "Weir" and the schema: the
   * nodes of a cluster starting at once on an empty database would otherwise race to create the
   * same tables.
   */
  private static final String LOCK = "1466262898, hashtext(current_schema())";

  static void migrate(DataSource ds) {
    try (Connection c = ds.getConnection()) {
      boolean postgres = c.getMetaData().getDatabaseProductName().equals("PostgreSQL");
      if (postgres) {
        try (Statement st = c.createStatement()) {
          st.execute("SELECT pg_advisory_lock(" + LOCK + ")");
        }
      }
      try {
        migrate(c);
      } finally {
        if (postgres) {
          c.setAutoCommit(true);
          try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
          }
        }
      }
    } catch (SQLException e) {
      throw new WeirException("cannot prepare the state store schema: " + e.getMessage(), e);
    }
  }

  private static void migrate(Connection c) throws SQLException {
    c.setAutoCommit(false);
    {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE IF NOT EXISTS weir_schema (version INT PRIMARY KEY)");
      }
      c.commit();
      int current = 0;
      try (Statement st = c.createStatement();
          var rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM weir_schema")) {
        rs.next();
        current = rs.getInt(1);
      }
      if (current > LATEST) {
        throw new WeirException(
            "the state store was written by a newer Weir (schema version "
                + current
                + ", this Weir knows "
                + LATEST
                + "); upgrade Weir or point --home/--db at another store");
      }
      for (int v = current + 1; v <= LATEST; v++) {
        apply(c, v);
      }
    }
  }

  private static void apply(Connection c, int version) throws SQLException {
    String script = read("V" + version + "__" + NAMES.get(version - 1) + ".sql");
    try (Statement st = c.createStatement()) {
      for (String sql : script.split(";\\s*\\n")) {
        String body = stripComments(sql).trim();
        if (!body.isEmpty()) {
          st.execute(body);
        }
      }
      st.execute("INSERT INTO weir_schema (version) VALUES (" + version + ")");
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    }
  }

  private static String stripComments(String sql) {
    return sql.lines().filter(l -> !l.trim().startsWith("--")).reduce("", (a, b) -> a + b + "\n");
  }

  private static String read(String name) {
    try (InputStream in = Migrations.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing migration " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
