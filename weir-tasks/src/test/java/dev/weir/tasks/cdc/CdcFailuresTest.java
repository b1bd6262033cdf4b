package dev.weir.tasks.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.testing.RestartablePostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cdc.postgres when the target refuses changes, or the source does what a target cannot follow. */
class CdcFailuresTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static RestartablePostgres pg;

  @TempDir Path dir;
  private CdcFixture f;

  @BeforeAll
  static void startPostgres() {
    pg = RestartablePostgres.startLogical();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  @BeforeEach
  void fixture() {
    f = new CdcFixture(pg, dir);
  }

  // each test streams from a slot of its own; PostgreSQL keeps 10
  @org.junit.jupiter.api.AfterEach
  void dropSlots() throws Exception {
    f.sql("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE NOT active");
  }

  static String task(String table, String extra) {
    return "connection: source_pg\n"
        + "tables: ["
        + table
        + "]\n"
        + "target: {connection: warehouse, schema: raw}\n"
        + "maxLatency: 200ms\n"
        + "stopWhen: caughtUp\n"
        + extra;
  }

  /** Every letter written under {@code dead/}, in file order. */
  private List<JsonNode> letters(String deadDir) throws Exception {
    Path root = dir.resolve(deadDir);
    var out = new ArrayList<JsonNode>();
    if (!Files.exists(root)) {
      return out;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
        for (String line : Files.readAllLines(p)) {
          out.add(JSON.readTree(line));
        }
      }
    }
    return out;
  }

  @Test
  void changes_the_target_refuses_become_dead_letters_and_the_stream_goes_on() throws Exception {
    f.sql(
        "CREATE TABLE public.scores (id int PRIMARY KEY, v int, note text)",
        "INSERT INTO public.scores VALUES (1, 5, 'a'), (2, -1, 'b'), (3, 7, NULL), (4, 8, 'd')",
        "CREATE SCHEMA IF NOT EXISTS raw",
        "CREATE TABLE raw.scores (id int PRIMARY KEY, v int CHECK (v >= 0), note text NOT NULL)");
    f.context.deadLetter("dead/", "5");

    TaskResult first = f.run("scores_cdc", task("public.scores", ""));

    assertThat(f.source("SELECT id, v, note FROM raw.scores ORDER BY id"))
        .containsExactly("1|5|a", "4|8|d");
    assertThat(first.outputs()).containsEntry("rejected", 2L);
    List<JsonNode> dead = letters("dead");
    assertThat(dead).hasSize(2);
    JsonNode check =
        dead.stream().filter(l -> l.at("/record/key/id").asInt() == 2).findFirst().orElseThrow();
    assertThat(check.at("/record/op").asText()).isEqualTo("snapshot");
    assertThat(check.at("/record/table").asText()).isEqualTo("public.scores");
    assertThat(check.at("/record/values/v").asInt()).isEqualTo(-1);
    assertThat(check.at("/reason").asText()).contains("scores_v_check");
    assertThat(check.at("/taskType").asText()).isEqualTo("cdc.postgres");
    assertThat(check.at("/run").asText()).isEqualTo("run-1");
    assertThat(dead).anySatisfy(l -> assertThat(l.at("/reason").asText()).contains("null value"));

    f.sql(
        "INSERT INTO public.scores VALUES (5, -3, 'e'), (6, 1, 'f')",
        "UPDATE public.scores SET v = 9 WHERE id = 1");
    TaskResult second = f.run("scores_cdc", task("public.scores", ""));

    assertThat(second.outputs()).containsEntry("rejected", 1L);
    assertThat(f.source("SELECT id, v, note FROM raw.scores ORDER BY id"))
        .containsExactly("1|9|a", "4|8|d", "6|1|f");
    assertThat(letters("dead"))
        .hasSize(3)
        .anySatisfy(l -> {
          assertThat(l.at("/record/key/id").asInt()).isEqualTo(5);
          assertThat(l.at("/record/op").asText()).isEqualTo("insert");
          assertThat(l.at("/record/sourceCommittedAt").asText()).isNotEmpty();
        });
  }

  @Test
  void a_duckdb_target_sets_refused_changes_aside_too() throws Exception {
    f.sql(
        "CREATE TABLE public.ducks (id int PRIMARY KEY, v int)",
        "INSERT INTO public.ducks SELECT g, CASE WHEN g % 10 = 0 THEN -g ELSE g END FROM"
            + " generate_series(1, 100) g");
    try (var c = java.sql.DriverManager.getConnection(f.duckUrl());
        var st = c.createStatement()) {
      st.execute("CREATE TABLE ducks (id INTEGER PRIMARY KEY, v INTEGER CHECK (v >= 0))");
    }
    f.context.deadLetter("dead/", "10%");
    String duck =
        task("public.ducks", "")
            .replace("target: {connection: warehouse, schema: raw}", "target: {connection: duck}");

    TaskResult r = f.run("ducks_cdc", duck);

    assertThat(r.outputs()).containsEntry("rejected", 10L);
    assertThat(CdcFixture.rows(f.duckUrl(), "SELECT count(*), sum(v) FROM ducks"))
        .containsExactly("90|4500");
    assertThat(letters("dead"))
        .hasSize(10)
        .allSatisfy(l -> assertThat(l.at("/reason").asText()).contains("Constraint Error"));
  }

  @Test
  void more_refused_changes_than_max_rejected_stop_the_stream_naming_table_key_and_reason()
      throws Exception {
    f.sql(
        "CREATE TABLE public.limits (id int PRIMARY KEY, v int)",
        "INSERT INTO public.limits VALUES (1, 1), (2, -2), (3, -3)",
        "CREATE SCHEMA IF NOT EXISTS raw",
        "CREATE TABLE raw.limits (id int PRIMARY KEY, v int CHECK (v >= 0))");
    f.context.deadLetter("dead/", "1");

    assertThatThrownBy(() -> f.run("limits_cdc", task("public.limits", "")))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("public.limits key (id)=(2)")
        .hasMessageContaining("raw.limits")
        .hasMessageContaining("limits_v_check")
        .hasMessageContaining("deadLetter.maxRejected")
        .satisfies(e -> assertThat(((TaskFailedException) e).retryable()).isFalse());
    assertThat(f.source("SELECT count(*) FROM raw.limits")).containsExactly("0");
    assertThat(letters("dead")).isEmpty();
  }

  @Test
  void a_refused_change_without_dead_letters_stops_the_stream_as_before() throws Exception {
    f.sql(
        "CREATE TABLE public.plain (id int PRIMARY KEY, v int)",
        "INSERT INTO public.plain VALUES (1, -1)",
        "CREATE SCHEMA IF NOT EXISTS raw",
        "CREATE TABLE raw.plain (id int PRIMARY KEY, v int CHECK (v >= 0))");

    assertThatThrownBy(() -> f.run("plain_cdc", task("public.plain", "")))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("plain_v_check");
  }

  @Test
  void a_lost_target_connection_fails_the_attempt_and_sets_nothing_aside() throws Exception {
    f.sql(
        "CREATE TABLE public.lose (id int PRIMARY KEY, v text)",
        "INSERT INTO public.lose VALUES (1, 'fine'), (2, 'kill'), (3, 'fine')",
        "CREATE SCHEMA IF NOT EXISTS raw",
        "CREATE TABLE raw.lose (id int PRIMARY KEY, v text)",
        // the target's session ends itself mid-batch, as a database restart would end it
        "CREATE FUNCTION raw.die() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.v ="
            + " 'kill' THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF; RETURN NEW;"
            + " END $$",
        "CREATE TRIGGER die BEFORE INSERT ON raw.lose FOR EACH ROW EXECUTE FUNCTION raw.die()");
    f.context.deadLetter("dead/", "100%");

    assertThatThrownBy(() -> f.run("lose_cdc", task("public.lose", "")))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("cannot apply a batch to the target")
        .satisfies(e -> assertThat(((TaskFailedException) e).connectionFailure()).isTrue());
    assertThat(letters("dead")).isEmpty();
    assertThat(f.source("SELECT count(*) FROM raw.lose")).containsExactly("0");
  }

  @Test
  void several_updates_of_one_bytea_key_in_one_batch_collapse_to_one_row() throws Exception {
    f.sql("CREATE TABLE public.bins (k bytea PRIMARY KEY, v int)");
    f.run("bins_cdc", task("public.bins", ""));
    f.sql(
        "BEGIN; INSERT INTO public.bins VALUES ('\\x0102'::bytea, 1), ('\\xff'::bytea, 1);"
            + " UPDATE public.bins SET v = 2 WHERE k = '\\x0102'::bytea;"
            + " UPDATE public.bins SET v = 3 WHERE k = '\\x0102'::bytea;"
            + " DELETE FROM public.bins WHERE k = '\\xff'::bytea; COMMIT");

    // a long maxLatency keeps the transaction's five changes in one batch on a loaded machine
    TaskResult r =
        f.run("bins_cdc", task("public.bins", "").replace("maxLatency: 200ms", "maxLatency: 3s"));

    assertThat(r.outputs()).containsEntry("events", 5L).containsEntry("batches", 1L);
    assertThat(r.outputs()).containsEntry("rowsWritten", 2L); // one per key
    assertThat(f.source("SELECT encode(k, 'hex'), v FROM raw.bins ORDER BY k"))
        .containsExactly("0102|3");
  }

  @Test
  void a_binary_key_collapses_by_content() {
    var shape = (RowShape) null;
    var a =
        new Change(
            "public.t",
            Change.Op.UPDATE,
            List.of(KeyBytes.of(new byte[] {1, 2})),
            List.of("k"),
            shape,
            new Object[0],
            1);
    var b =
        new Change(
            "public.t",
            Change.Op.UPDATE,
            List.of(KeyBytes.of(new byte[] {1, 2})),
            List.of("k"),
            shape,
            new Object[0],
            2);
    assertThat(BatchApplier.collapse(List.of(a, b)).get("public.t")).hasSize(1).containsValue(b);
  }

  @Test
  void a_column_masked_with_hash_hashes_as_jdbc_load_does_for_every_type() throws Exception {
    f.sql(
        "CREATE TABLE public.typed (id bytea PRIMARY KEY, ts timestamp, tz timestamptz, d date,"
            + " n numeric(10,2), fl float8, b bytea, t text)",
        "INSERT INTO public.typed VALUES ('\\xaa41'::bytea, '2026-03-04 05:06:07.12',"
            + " '2026-01-02 10:00:00.5+05', '2026-01-02', 10.50, 1.5, '\\x005c7a'::bytea, 'ann')");
    String masks =
        "mask: {public.typed.id: hash, public.typed.ts: hash, public.typed.tz: hash,"
            + " public.typed.d: hash, public.typed.n: hash, public.typed.fl: hash, public.typed.b:"
            + " hash, public.typed.t: hash}\n"
            + "maskSalt: pepper\n";

    f.run("typed_cdc", task("public.typed", masks));

    List<String> cdc = f.source("SELECT id, ts, tz, d, n, fl, b, t FROM raw.typed");
    // the batch path: the same values in DuckDB, through the SELECT jdbc.load masks with
    var columns =
        List.of(
            new dev.weir.task.Dataset.Column("id", "BLOB"),
            new dev.weir.task.Dataset.Column("ts", "TIMESTAMP"),
            new dev.weir.task.Dataset.Column("tz", "TIMESTAMP WITH TIME ZONE"),
            new dev.weir.task.Dataset.Column("d", "DATE"),
            new dev.weir.task.Dataset.Column("n", "DECIMAL(10,2)"),
            new dev.weir.task.Dataset.Column("fl", "DOUBLE"),
            new dev.weir.task.Dataset.Column("b", "BLOB"),
            new dev.weir.task.Dataset.Column("t", "VARCHAR"));
    var mask = new java.util.LinkedHashMap<String, dev.weir.tasks.duck.Masking.Rule>();
    columns.forEach(c -> mask.put(c.name(), dev.weir.tasks.duck.Masking.Rule.HASH));
    try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        var st = c.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
      st.execute(
          "CREATE TABLE typed AS SELECT '\\xAA\\x41'::BLOB AS id, TIMESTAMP '2026-03-04"
              + " 05:06:07.12' AS ts, TIMESTAMPTZ '2026-01-02 10:00:00.5+05' AS tz, DATE"
              + " '2026-01-02' AS d, 10.50::DECIMAL(10,2) AS n, 1.5::DOUBLE AS fl,"
              + " '\\x00\\x5Cz'::BLOB AS b, 'ann' AS t");
      try (var rs =
          st.executeQuery(dev.weir.tasks.duck.Masking.select("typed", columns, mask, "pepper"))) {
        rs.next();
        var batch = new StringBuilder();
        for (int i = 1; i <= columns.size(); i++) {
          batch.append(i == 1 ? "" : "|").append(rs.getString(i));
        }
        assertThat(cdc).containsExactly(batch.toString());
      }
    }
  }

  @Test
  void a_source_truncate_stops_the_stream_unless_applied_or_ignored() throws Exception {
    f.sql(
        "CREATE TABLE public.trunc (id int PRIMARY KEY, v text)",
        "INSERT INTO public.trunc VALUES (1, 'one'), (2, 'two')");
    f.run("trunc_cdc", task("public.trunc", ""));
    f.sql(
        "INSERT INTO public.trunc VALUES (10, 'before')",
        "TRUNCATE public.trunc",
        "INSERT INTO public.trunc VALUES (11, 'after')");

    assertThatThrownBy(() -> f.run("trunc_cdc", task("public.trunc", "")))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("source table public.trunc was truncated")
        .hasMessageContaining("target table raw.trunc still has the rows")
        .hasMessageContaining("truncates: apply");
    // the stream stops before the batch that holds the truncate: the insert of 10, committed
    // before it, is applied when an earlier batch took it (timing decides); 11, after it, never
    assertThat(f.source("SELECT id FROM raw.trunc ORDER BY id"))
        .isIn(java.util.List.of("1", "2"), java.util.List.of("1", "2", "10"));

    TaskResult applied = f.run("trunc_cdc", task("public.trunc", "truncates: apply\n"));

    assertThat(applied.outputs()).containsEntry("truncates", 1L);
    assertThat(f.source("SELECT id, v FROM raw.trunc ORDER BY id")).containsExactly("11|after");
  }

  @Test
  void an_ignored_truncate_keeps_the_target_rows_and_warns() throws Exception {
    f.sql(
        "CREATE TABLE public.keep (id int PRIMARY KEY, v text)",
        "INSERT INTO public.keep VALUES (1, 'one')");
    f.run("keep_cdc", task("public.keep", ""));
    f.sql("TRUNCATE public.keep", "INSERT INTO public.keep VALUES (2, 'two')");

    f.run("keep_cdc", task("public.keep", "truncates: ignore\n"));

    assertThat(f.source("SELECT id FROM raw.keep ORDER BY id")).containsExactly("1", "2");
    assertThat(f.context.log())
        .anyMatch(l -> l.startsWith("WARN") && l.contains("public.keep was truncated"));
  }

  @Test
  void changes_waiting_on_a_hanging_target_are_reported_with_their_growing_lag() throws Exception {
    f.sql(
        "CREATE TABLE public.hang (id int PRIMARY KEY, v text)",
        "INSERT INTO public.hang VALUES (1, 'one')");
    f.run("hang_cdc", task("public.hang", ""));
    var running = (java.util.concurrent.CompletableFuture<TaskResult>) null;
    try (var lock = java.sql.DriverManager.getConnection(pg.url())) {
      lock.setAutoCommit(false);
      lock.createStatement().execute("LOCK TABLE raw.hang IN ACCESS EXCLUSIVE MODE");
      f.sql("INSERT INTO public.hang VALUES (2, 'two')");
      running = f.start("hang_cdc", task("public.hang", "").replace("stopWhen: caughtUp\n", ""));

      org.awaitility.Awaitility.await()
          .atMost(60, java.util.concurrent.TimeUnit.SECONDS)
          .until(() ->
              f.context.streamReports().stream()
                  .filter(l -> l.startsWith("waiting 1 changes, oldest "))
                  .mapToLong(l -> Long.parseLong(l.replaceAll("\\D+", " ").trim().split(" ")[1]))
                  .anyMatch(ms -> ms >= 3_000));
      assertThat(f.context.streamReports()).noneMatch(l -> l.equals("batch 1 changes, 1 lags"));
      lock.rollback();
    }
    org.awaitility.Awaitility.await()
        .atMost(60, java.util.concurrent.TimeUnit.SECONDS)
        .until(() -> f.source("SELECT count(*) FROM raw.hang").equals(List.of("2")));
    f.stop(running);
  }

  /** Threads of a stream's engine: the task's own and Debezium's (its executors and readers). */
  private static List<String> streamThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n ->
            n.startsWith("weir-cdc")
                || n.startsWith("debezium-")
                || n.startsWith("WeirOffsetStore"))
        .sorted()
        .toList();
  }

  @Test
  void a_cancel_while_the_target_hangs_ends_the_attempt_and_debezium_within_seconds()
      throws Exception {
    f.sql(
        "CREATE TABLE public.stuck (id int PRIMARY KEY, v text)",
        "INSERT INTO public.stuck VALUES (1, 'one')");
    f.run("stuck_cdc", task("public.stuck", ""));
    String slot = "weir_test_test_flow_stuck_cdc";
    String active = "SELECT active FROM pg_replication_slots WHERE slot_name = '" + slot + "'";
    try (var lock = java.sql.DriverManager.getConnection(pg.url())) {
      lock.setAutoCommit(false);
      lock.createStatement().execute("LOCK TABLE raw.stuck IN ACCESS EXCLUSIVE MODE");
      f.sql("INSERT INTO public.stuck VALUES (2, 'two')");
      var result = new java.util.concurrent.CompletableFuture<TaskResult>();
      Thread thread =
          Thread.ofPlatform()
              .start(() -> {
                try {
                  result.complete(
                      f.run(
                          "stuck_cdc",
                          task("public.stuck", "").replace("stopWhen: caughtUp\n", "")));
                } catch (Throwable e) {
                  result.completeExceptionally(e);
                }
              });
      org.awaitility.Awaitility.await()
          .atMost(60, java.util.concurrent.TimeUnit.SECONDS)
          .until(() -> f.context.streamReports().stream().anyMatch(l -> l.startsWith("waiting 1")));
      assertThat(streamThreads()).anyMatch(n -> n.startsWith("debezium-postgresconnector-"));

      long start = System.nanoTime();
      f.context.cancel(); // as the engine cancels an attempt: the hooks, then an interrupt
      thread.interrupt();
      TaskResult r = result.get(60, java.util.concurrent.TimeUnit.SECONDS);
      long ended = (System.nanoTime() - start) / 1_000_000;
      org.awaitility.Awaitility.await()
          .atMost(60, java.util.concurrent.TimeUnit.SECONDS)
          .until(() -> streamThreads().isEmpty());
      long threadsGone = (System.nanoTime() - start) / 1_000_000;
      org.awaitility.Awaitility.await()
          .atMost(60, java.util.concurrent.TimeUnit.SECONDS)
          .until(() -> f.source(active).equals(List.of("f")));
      long slotFree = (System.nanoTime() - start) / 1_000_000;
      System.out.printf(
          "cancel with a hanging target: attempt ended after %d ms, threads gone after %d ms, slot"
              + " free after %d ms; threads now %s%n",
          ended, threadsGone, slotFree, streamThreads());
      assertThat(r.outputs()).containsEntry("stopped", "cancelled");
      assertThat(ended).isLessThan(5_000);
      assertThat(threadsGone).isLessThan(5_000);
      assertThat(slotFree).isLessThan(10_000);
    }
    // the slot is free for the next run, which applies the change the cancelled one could not
    f.run("stuck_cdc", task("public.stuck", ""));
    assertThat(f.source("SELECT id FROM raw.stuck ORDER BY id")).containsExactly("1", "2");
  }
}
