package dev.weir.tasks.models;

import static dev.weir.tasks.models.Projects.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ProjectRunnerParallelContract} on a DuckDB file: one connection per worker thread
 * (duplicates of one database); and what is DuckDB's own: catalog conflicts between those
 * connections, retried. Also skipping by a test on two models, and a root ephemeral model.
 */
class ProjectRunnerParallelTest extends ProjectRunnerParallelContract {
  @Override
  Database database(String name) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve(name + ".duckdb"));
    return new Database(c, TargetConnections.duckdb(c), Target.duckdb("main"));
  }

  @Override
  String sleepingSelect() {
    return "select sum(i) as s from " + series(100_000_000_000L);
  }

  @Override
  String series(long n) {
    return "range(" + n + ") t(i)";
  }

  @Override
  long rowsToCancel() {
    return 1_000_000;
  }

  /** A root ephemeral model ends when made ready: its child used to be queued a second time. */
  @Test
  void each_node_below_a_root_ephemeral_model_runs_once() throws Exception {
    Path project = dir.resolve("eph");
    write(project, "dbt_project.yml", "name: eph\nmodels:\n  eph:\n    +materialized: table\n");
    write(project, "models/e.sql", "{{ config(materialized='ephemeral') }}\nselect 1 as id\n");
    write(project, "models/m.sql", "select id from {{ ref('e') }}\n");
    write(project, "models/m2.sql", "select id from {{ ref('m') }}\n");
    write(project, "models/m3.sql", "select id from {{ ref('m2') }}\n");
    DbtProject p = DbtProject.load(project);
    for (int threads : new int[] {1, 4}) {
      try (Database db = database("eph" + threads)) {
        var starts = new java.util.concurrent.ConcurrentLinkedQueue<String>();
        List<NodeResult> results =
            new ProjectRunner(p, db.options(p), db.connections(), threads)
                .run(
                    null,
                    null,
                    new ProjectRunner.Listener() {
                      @Override
                      public void started(GraphNode node) {
                        starts.add(node.name());
                      }
                    });
        assertThat(starts).as("threads %d", threads).containsExactly("m", "m2", "m3");
        assertThat(results).extracting(NodeResult::name).containsExactly("m", "m2", "m3");
      }
    }
  }

  @Test
  void a_failing_test_on_two_models_holds_back_only_what_is_built_from_both() throws Exception {
    write(dir, "dbt_project.yml", "name: gate\n");
    write(dir, "models/p.sql", "select 1 as id union all select 2 as id\n");
    write(dir, "models/q.sql", "select 1 as id\n");
    write(dir, "models/p_child.sql", "select id from {{ ref('p') }}\n");
    write(
        dir,
        "models/pq.sql",
        "select p.id from {{ ref('p') }} p join {{ ref('q') }} q on p.id = q.id\n");
    write(
        dir,
        "models/schema.yml",
        """
        version: 2
        models:
          - name: p
            columns:
              - name: id
                tests:
                  - relationships: {to: ref('q'), field: id}
        """);
    DbtProject p = DbtProject.load(dir);
    for (int threads : new int[] {1, 2}) {
      try (Database db = database("db" + threads)) {
        List<NodeResult> results =
            new ProjectRunner(p, db.options(p), db.connections(), threads).run(null, null);
        NodeResult test =
            results.stream().filter(r -> r.type() == GraphNode.Type.TEST).findFirst().orElseThrow();
        assertThat(test.status()).isEqualTo(NodeResult.Status.ERROR);
        assertThat(test.node().reads()).containsExactlyInAnyOrder("main.p", "main.q");
        // dbt's rule: a test gates the models downstream of all its parents, not of one
        assertThat(byName(results, "p_child").status())
            .as("threads=" + threads)
            .isEqualTo(NodeResult.Status.SUCCESS);
        assertThat(byName(results, "pq").message())
            .isEqualTo("skipped: test " + test.name() + " failed");
      }
    }
  }

  @Test
  void many_independent_tables_and_views_build_at_once_without_catalog_conflicts()
      throws Exception {
    write(dir, "dbt_project.yml", "name: many\n");
    for (int i = 0; i < 40; i++) {
      String kind = i % 4 == 0 ? "view" : i % 4 == 1 ? "incremental" : "table";
      write(
          dir,
          "models/m_%02d.sql".formatted(i),
          "{{ config(materialized='%s', unique_key='id', schema='s%d') }}\n".formatted(kind, i % 10)
              + "select i as id, i * %d as v from range(1000) t(i)\n".formatted(i));
    }
    DbtProject p = DbtProject.load(dir);
    try (Database db = database("db")) {
      for (int run = 0; run < 3; run++) { // new schemas, then replacing and merging
        List<NodeResult> results =
            new ProjectRunner(p, db.options(p), db.connections(), 4).run(null, null);
        assertThat(results)
            .hasSize(40)
            .allSatisfy(r ->
                assertThat(r.status())
                    .as(r.name() + ": " + r.message())
                    .isEqualTo(NodeResult.Status.SUCCESS));
      }
      assertThat(
              JaffleShopDuckDbTest.rows(
                  db.connection(), "select count(*), sum(v) from main_s1.m_01"))
          .containsExactly("1000|499500");
    }
  }

  @Test
  void a_catalog_conflict_between_two_duckdb_connections_is_retried_once_the_other_commits()
      throws Exception {
    try (Database db = database("db");
        Connection a = db.connections().open();
        Connection b = db.connections().open()) {
      a.setAutoCommit(false);
      a.createStatement().execute("create schema s");
      var conflicts = new java.util.ArrayList<Integer>();
      // a commits only once b's first attempt has lost to its uncommitted schema
      var on =
          new Relations(b, Target.Dialect.DUCKDB)
              .onRetry((attempt, e) -> {
                assertThat(ConflictRetry.conflict(e)).as(e.getMessage()).isTrue();
                conflicts.add(attempt);
                if (attempt == 1) {
                  a.commit();
                }
              });
      on.execute("create schema if not exists s");
      assertThat(conflicts).as("b's attempts that conflicted").containsExactly(1);
      assertThat(
              JaffleShopDuckDbTest.rows(
                  b, "select count(*) from duckdb_schemas() where schema_name = 's'"))
          .containsExactly("1");
    }
  }

  @Test
  void a_conflict_that_outlasts_the_attempts_fails_with_the_conflict() throws Exception {
    try (Database db = database("db");
        Connection a = db.connections().open();
        Connection b = db.connections().open()) {
      a.setAutoCommit(false);
      a.createStatement().execute("create schema s");
      var conflicts = new java.util.ArrayList<Integer>();
      var on =
          new Relations(b, Target.Dialect.DUCKDB).onRetry((attempt, e) -> conflicts.add(attempt));
      var e =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              java.sql.SQLException.class, () -> on.execute("create schema if not exists s"));
      assertThat(ConflictRetry.conflict(e)).as(String.valueOf(e)).isTrue();
      assertThat(conflicts).containsExactly(1, 2, 3, 4);
      a.rollback();
    }
  }
}
