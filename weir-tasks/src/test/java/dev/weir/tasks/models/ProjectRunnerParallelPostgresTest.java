package dev.weir.tasks.models;

import static dev.weir.tasks.models.Projects.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weir.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ProjectRunnerParallelContract} on PostgreSQL (a fresh schema each, a new connection per
 * worker thread; the long model a {@code pg_sleep}); and a cancel while a table waits for its lock
 * to be swapped in.
 */
class ProjectRunnerParallelPostgresTest extends ProjectRunnerParallelContract {
  @Override
  Database database(String name) throws SQLException {
    String url = TestDatabases.freshPostgresSchemaUrl();
    String schema = TestDatabases.schemaOf(url);
    return new Database(
        DriverManager.getConnection(url),
        () -> DriverManager.getConnection(url),
        new Target("ci", schema, Target.Dialect.POSTGRES));
  }

  @Override
  String sleepingSelect() {
    return "select 1 as x from (select pg_sleep(60)) s";
  }

  @Override
  String series(long n) {
    return "generate_series(1, " + n + ") i";
  }

  @Override
  long rowsToCancel() {
    return 100_000;
  }

  @Test
  void duckdb_connections_need_a_duckdb_connection() throws Exception {
    try (Connection pg = DriverManager.getConnection(TestDatabases.freshPostgresSchemaUrl())) {
      assertThat(catchThrowable(() -> TargetConnections.duckdb(pg)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("needs a DuckDB connection");
    }
  }

  /**
   * A cancel while a table model waits to swap its new table in (another connection reads the old
   * one, so the drop waits for its lock) leaves neither the new table nor the old one changed.
   */
  @Test
  void a_cancel_while_a_table_waits_to_be_swapped_in_drops_the_temporary_table() throws Exception {
    write(dir, "dbt_project.yml", "name: slow\n");
    write(dir, "models/slow.sql", "{{ config(materialized='table') }}\nselect 1 as x\n");
    write(dir, "models/after.sql", "select * from {{ ref('slow') }}\n");
    DbtProject p = DbtProject.load(dir);
    try (Database db = database("db");
        Connection reader = db.connections().open()) {
      Connection c = db.connection();
      String schema = db.schema();
      assertThat(new ProjectRunner(p, db.options(p), c).run(null, null))
          .allSatisfy(r -> assertThat(r.status()).isEqualTo(NodeResult.Status.SUCCESS));
      reader.setAutoCommit(false);
      reader.createStatement().execute("select * from " + schema + ".slow");
      try {
        var runner = new ProjectRunner(p, db.options(p), db.connections(), 2);
        List<NodeResult> results =
            cancelOnceBuilt(runner, () -> temporaries(c, schema), "slow__weir_tmp");
        assertThat(byName(results, "slow").cancelled()).isTrue();
        assertThat(byName(results, "after").cancelled()).isTrue();
        assertThat(temporaries(c, schema)).isEmpty();
      } finally {
        reader.rollback();
      }
      assertThat(JaffleShopDuckDbTest.rows(c, "select x from " + schema + ".slow"))
          .containsExactly("1");
    }
  }
}
