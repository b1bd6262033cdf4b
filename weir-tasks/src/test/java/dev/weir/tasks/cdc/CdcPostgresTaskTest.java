package dev.weir.tasks.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.testing.RestartablePostgres;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cdc.postgres against a PostgreSQL of the test's own, with wal_level = logical. */
class CdcPostgresTaskTest {
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

  // each test streams from a slot of its own, and PostgreSQL keeps 10: with the MariaDB target's
  // test (run when WEIR_TEST_MYSQL_URL is set) the class has more tests than that
  @org.junit.jupiter.api.AfterEach
  void dropSlots() throws Exception {
    try {
      f.sql(
          "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE NOT active");
    } finally {
      f.context.closeStore(); // its H2 files are in the temporary directory JUnit deletes next
    }
  }

  private static String task(String tables, String extra) {
    return "connection: source_pg\n"
        + "tables: ["
        + tables
        + "]\n"
        + "target: {connection: warehouse, schema: raw}\n"
        + "maxLatency: 200ms\n"
        + "stopWhen: caughtUp\n"
        + extra;
  }

  @Test
  void a_snapshot_then_streamed_changes_reach_the_target() throws Exception {
    f.sql(
        "CREATE TABLE public.orders (id int PRIMARY KEY, amount numeric(10,2), placed date,"
            + " at timestamptz, note text, done boolean)",
        "INSERT INTO public.orders VALUES (1, 10.50, '2026-01-02', '2026-01-02 10:00+00', 'a',"
            + " true), (2, 20, NULL, NULL, NULL, false)");

    TaskResult first = f.run("orders_cdc", task("public.orders", ""));

    assertThat(first.outputs())
        .containsEntry("snapshotRows", 2L)
        .containsEntry("stopped", "caught up");
    String all = "SELECT id, amount, placed, at, note, done FROM %s ORDER BY id";
    assertThat(f.source(all.formatted("raw.orders")))
        .isEqualTo(f.source(all.formatted("public.orders")));

    f.sql(
        "INSERT INTO public.orders VALUES (3, 30, '2026-02-03', now(), 'c', false)",
        "UPDATE public.orders SET note = 'changed', amount = 11 WHERE id = 1",
        "DELETE FROM public.orders WHERE id = 2");
    TaskResult second = f.run("orders_cdc", task("public.orders", ""));

    assertThat(second.outputs())
        .containsEntry("snapshotRows", 0L)
        .containsEntry("inserts", 1L)
        .containsEntry("updates", 1L)
        .containsEntry("deletes", 1L);
    assertThat(f.source(all.formatted("raw.orders")))
        .isEqualTo(f.source(all.formatted("public.orders")));
  }

  @Test
  void a_storm_of_mixed_changes_leaves_the_target_equal_to_the_source() throws Exception {
    f.sql("CREATE TABLE public.storm (id int PRIMARY KEY, v int, s text)");
    f.run("storm_cdc", task("public.storm", ""));
    var random = new Random(7);
    int changes = 0;
    try (var c = java.sql.DriverManager.getConnection(pg.url())) {
      c.setAutoCommit(false);
      var ins =
          c.prepareStatement("INSERT INTO public.storm VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
      var upd = c.prepareStatement("UPDATE public.storm SET v = v + 1, s = ? WHERE id = ?");
      var del = c.prepareStatement("DELETE FROM public.storm WHERE id = ?");
      int statements = Integer.getInteger("weir.cdc.storm", 30_000); // more to measure
      for (int i = 0; i < statements; i++) {
        int id = random.nextInt(Math.max(5_000, statements / 6));
        int op = random.nextInt(10);
        if (op < 5) {
          ins.setInt(1, id);
          ins.setInt(2, i);
          ins.setString(3, "row " + i);
          ins.addBatch();
        } else if (op < 8) {
          upd.setString(1, "upd " + i);
          upd.setInt(2, id);
          upd.addBatch();
        } else {
          del.setInt(1, id);
          del.addBatch();
        }
        if (i % 500 == 499) {
          ins.executeBatch();
          upd.executeBatch();
          del.executeBatch();
          c.commit();
        }
        changes++;
      }
      c.commit();
    }

    long start = System.nanoTime();
    TaskResult r = f.run("storm_cdc", task("public.storm", "maxBatch: 10000\n"));
    double seconds = (System.nanoTime() - start) / 1e9;

    String all = "SELECT id, v, s FROM %s ORDER BY id";
    assertThat(f.source(all.formatted("raw.storm")))
        .isEqualTo(f.source(all.formatted("public.storm")));
    System.out.printf(
        "cdc storm: %d statements, %s events applied in %.1f s (task start to stop); outputs %s%n",
        changes, r.outputs().get("events"), seconds, r.outputs());
  }

  @Test
  void a_stopped_stream_continues_from_its_stored_offset() throws Exception {
    f.sql("CREATE TABLE public.resume (id int PRIMARY KEY, v text)");
    var running =
        f.start("resume_cdc", task("public.resume", "").replace("stopWhen: caughtUp\n", ""));
    Awaitility.await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> f.slotExists("weir_test_test_flow_resume_cdc"));
    f.sql("INSERT INTO public.resume SELECT g, 'first ' || g FROM generate_series(1, 500) g");
    Awaitility.await()
        .atMost(60, TimeUnit.SECONDS)
        .ignoreExceptions() // until the target table is made
        .until(() -> f.source("SELECT count(*) FROM raw.resume").equals(java.util.List.of("500")));
    TaskResult stopped = f.stop(running);
    assertThat(stopped.outputs()).containsEntry("stopped", "cancelled");

    f.sql(
        "INSERT INTO public.resume SELECT g, 'second ' || g FROM generate_series(501, 700) g",
        "UPDATE public.resume SET v = 'again' WHERE id <= 10");
    TaskResult again = f.run("resume_cdc", task("public.resume", ""));

    assertThat(again.outputs()).containsEntry("snapshotRows", 0L).containsEntry("inserts", 200L);
    assertThat(again.outputs().get("updates")).isEqualTo(10L);
    String all = "SELECT id, v FROM %s ORDER BY id";
    assertThat(f.source(all.formatted("raw.resume")))
        .isEqualTo(f.source(all.formatted("public.resume")));
  }

  @Test
  void a_cancel_that_interrupts_the_task_thread_stops_debezium_and_frees_the_slot()
      throws Exception {
    f.sql("CREATE TABLE public.interrupted (id int PRIMARY KEY, v text)");
    String active = activeQuery("weir_test_test_flow_interrupted_cdc");
    var result = startOnThread("interrupted_cdc", "public.interrupted");
    Awaitility.await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> f.source(active).equals(java.util.List.of("t")));

    cancelAsTheEngineDoes(result);

    assertThat(result.result().get(60, TimeUnit.SECONDS).outputs())
        .containsEntry("stopped", "cancelled");
    Awaitility.await()
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> f.source(active).equals(java.util.List.of("f")));
  }

  /**
   * Debezium refuses to close while its task starts, and its task starts by creating the slot,
   * which waits for the transactions open on the source: a cancel then used to leave the engine
   * streaming on its own (and the attempt waiting 90 s for it).
   */
  @Test
  void a_cancel_while_the_slot_is_being_created_still_stops_debezium() throws Exception {
    f.sql("CREATE TABLE public.starting (id int PRIMARY KEY, v text)");
    String active = activeQuery("weir_test_test_flow_starting_cdc");
    try (var open = java.sql.DriverManager.getConnection(pg.url())) {
      open.setAutoCommit(false);
      open.createStatement().execute("SELECT txid_current()"); // an xid the slot waits for
      var result = startOnThread("starting_cdc", "public.starting");
      Awaitility.await()
          .atMost(60, TimeUnit.SECONDS)
          .until(() -> f.source(active).equals(java.util.List.of("t")));
      Thread.sleep(300); // the slot waits for the open transaction: Debezium's task is starting

      cancelAsTheEngineDoes(result);
      Thread.sleep(500);
      open.commit();

      assertThat(result.result().get(60, TimeUnit.SECONDS).outputs())
          .containsEntry("stopped", "cancelled");
    }
    Awaitility.await()
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> f.source(active).equals(java.util.List.of("f")));
  }

  private static String activeQuery(String slot) {
    return "SELECT active FROM pg_replication_slots WHERE slot_name = '" + slot + "'";
  }

  private record Running(Thread thread, CompletableFuture<TaskResult> result) {}

  /** Streams without stopping when caught up, on a platform thread the test can interrupt. */
  private Running startOnThread(String taskId, String table) {
    return startOnThread(taskId, table, "");
  }

  private Running startOnThread(String taskId, String table, String extra) {
    var result = new CompletableFuture<TaskResult>();
    Thread thread =
        Thread.ofPlatform()
            .start(() -> {
              try {
                result.complete(
                    f.run(taskId, task(table, extra).replace("stopWhen: caughtUp\n", "")));
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            });
    return new Running(thread, result);
  }

  /**
   * A run stopped halfway through its snapshot: the next start snapshots again from scratch (as
   * Debezium does), and rows the first snapshot wrote that the source deleted in between must not
   * stay in the target (they are in neither the new snapshot nor the stream).
   */
  @Test
  void a_snapshot_stopped_halfway_leaves_no_rows_the_source_deleted() throws Exception {
    String all = "SELECT id, v FROM %s ORDER BY id";
    snapshotStoppedHalfway("halfway", "");
    assertThat(f.source(all.formatted("raw.halfway")))
        .isEqualTo(f.source(all.formatted("public.halfway")));
  }

  @Test
  void a_snapshot_stopped_halfway_with_soft_deletes_marks_the_rows_the_source_deleted()
      throws Exception {
    String all = "SELECT id, v FROM %s ORDER BY id";
    snapshotStoppedHalfway("halfsoft", "deletes: soft\n");
    assertThat(f.source(all.formatted("raw.halfsoft WHERE NOT _deleted")))
        .isEqualTo(f.source(all.formatted("public.halfsoft")));
    assertThat(f.source("SELECT count(*) FROM raw.halfsoft WHERE _deleted"))
        .isNotEqualTo(java.util.List.of("0"));
  }

  /**
   * Streams {@code table} (20,000 rows) until the target holds some but not all of them, cancels,
   * changes the source (deleting rows already in the target) and runs again until caught up.
   */
  private void snapshotStoppedHalfway(String table, String extra) throws Exception {
    int rows = 20_000;
    f.sql(
        "CREATE TABLE public." + table + " (id int PRIMARY KEY, v text)",
        "INSERT INTO public."
            + table
            + " SELECT g, 'row ' || g FROM generate_series(1, "
            + rows
            + ") g");
    String options = "maxBatch: 200\n" + extra;
    var running = startOnThread(table + "_cdc", "public." + table, options);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    long copied = 0;
    while (System.nanoTime() < deadline && !running.result().isDone()) {
      copied = targetCount(table);
      if (copied > 0) {
        break;
      }
      Thread.sleep(2);
    }
    cancelAsTheEngineDoes(running);
    assertThat(running.result().get(60, TimeUnit.SECONDS).outputs())
        .containsEntry("stopped", "cancelled");
    long partial = targetCount(table);
    assertThat(partial).as("rows copied before the cancel").isPositive();
    // a stall of this thread longer than the whole snapshot (a second or two) lets it finish
    // before the cancel: then there is nothing halfway to test
    org.junit.jupiter.api.Assumptions.assumeTrue(
        partial < rows, "the snapshot finished before the cancel reached it");

    f.sql(
        // rows the first snapshot copied, deleted before the second
        "DELETE FROM public." + table + " WHERE id IN (SELECT id FROM raw." + table + " LIMIT 50)",
        "UPDATE public." + table + " SET v = 'changed' WHERE id % 1000 = 7",
        "INSERT INTO public." + table + " VALUES (" + (rows + 1) + ", 'new')");
    TaskResult again = f.run(table + "_cdc", task("public." + table, options));
    assertThat(again.outputs()).containsEntry("stopped", "caught up");
    assertThat(f.context.log())
        .anyMatch(l -> l.startsWith("INFO a snapshot was stopped") && l.contains("raw." + table));
    // the finished snapshot took its mark with it: the next start empties nothing
    var key = new dev.weir.store.StreamOffsetStore.StreamKey("test", "flow", table + "_cdc");
    assertThat(f.context.store().streamOffsets().offsets(key)).doesNotContainKey("weir.snapshot");
  }

  private long targetCount(String table) {
    try {
      return Long.parseLong(f.source("SELECT count(*) FROM raw." + table).getFirst());
    } catch (java.sql.SQLException e) {
      return 0; // not made yet
    }
  }

  /** A first start leaves the rows of a target table loaded before alone. */
  @Test
  void a_first_snapshot_keeps_rows_already_in_the_target() throws Exception {
    f.sql(
        "CREATE TABLE public.preloaded (id int PRIMARY KEY, v text)",
        "INSERT INTO public.preloaded VALUES (1, 'one')",
        "CREATE SCHEMA IF NOT EXISTS raw",
        "CREATE TABLE raw.preloaded (id int PRIMARY KEY, v text)",
        "INSERT INTO raw.preloaded VALUES (2, 'loaded before')");

    f.run("preloaded_cdc", task("public.preloaded", ""));

    assertThat(f.source("SELECT id, v FROM raw.preloaded ORDER BY id"))
        .containsExactly("1|one", "2|loaded before");
  }

  /** As the engine cancels an attempt: the task's hooks, then an interrupt of its thread. */
  private void cancelAsTheEngineDoes(Running running) {
    f.context.cancel();
    running.thread().interrupt();
  }

  @Test
  void a_dropped_slot_is_resnapshotted_when_configured() throws Exception {
    f.sql(
        "CREATE TABLE public.lost (id int PRIMARY KEY, v text)",
        "INSERT INTO public.lost VALUES (1, 'one')");
    f.run("lost_cdc", task("public.lost", ""));
    f.sql(
        "SELECT pg_drop_replication_slot('weir_test_test_flow_lost_cdc')",
        "INSERT INTO public.lost VALUES (2, 'two')");

    assertThatThrownBy(() -> f.run("lost_cdc", task("public.lost", "")))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("replication slot 'weir_test_test_flow_lost_cdc' no longer exists")
        .hasMessageContaining("onLostPosition: resnapshot");

    TaskResult r = f.run("lost_cdc", task("public.lost", "onLostPosition: resnapshot\n"));

    assertThat(r.outputs()).containsEntry("resnapshotted", true).containsEntry("snapshotRows", 2L);
    assertThat(f.context.log())
        .anyMatch(l -> l.startsWith("ERROR") && l.contains("re-snapshotting"));
    assertThat(f.context.streamReports())
        .filteredOn(line -> line.startsWith("position lost"))
        .containsExactly(
            "position lost (fail): replication slot 'weir_test_test_flow_lost_cdc' no longer"
                + " exists; the task fails (onLostPosition: fail)",
            "position lost (resnapshot): replication slot 'weir_test_test_flow_lost_cdc' no"
                + " longer exists; snapshotting the tables again (onLostPosition: resnapshot)");
    assertThat(f.context.streamReports()).anyMatch(line -> line.startsWith("batch "));
    assertThat(f.source("SELECT id, v FROM raw.lost ORDER BY id"))
        .containsExactly("1|one", "2|two");
  }

  @Test
  void a_column_added_mid_stream_is_added_to_the_target_or_stops_the_stream() throws Exception {
    f.sql(
        "CREATE TABLE public.grow (id int PRIMARY KEY, v text)",
        "INSERT INTO public.grow VALUES (1, 'one')");
    f.run("grow_cdc", task("public.grow", ""));
    f.sql(
        "ALTER TABLE public.grow ADD COLUMN note text",
        "INSERT INTO public.grow VALUES (2, 'two', 'new column')");

    assertThatThrownBy(() -> f.run("grow_cdc", task("public.grow", "schemaChanges: fail\n")))
        .hasMessageContaining("source table public.grow has a new column note")
        .hasMessageContaining("raw.grow")
        .hasMessageContaining("schemaChanges: addColumns");

    f.run("grow_cdc", task("public.grow", "schemaChanges: addColumns\n"));
    assertThat(f.source("SELECT id, v, note FROM raw.grow ORDER BY id"))
        .containsExactly("1|one|null", "2|two|new column");
  }

  @Test
  void a_primary_key_update_leaves_only_the_new_row() throws Exception {
    f.sql(
        "CREATE TABLE public.rekey (id int PRIMARY KEY, v text)",
        "INSERT INTO public.rekey VALUES (1, 'one'), (2, 'two')");
    f.run("rekey_cdc", task("public.rekey", ""));
    f.sql("UPDATE public.rekey SET id = 100 WHERE id = 1");

    f.run("rekey_cdc", task("public.rekey", ""));

    assertThat(f.source("SELECT id, v FROM raw.rekey ORDER BY id"))
        .containsExactly("2|two", "100|one");
  }

  @Test
  void a_table_without_a_primary_key_is_refused() throws Exception {
    f.sql("CREATE TABLE public.nokey (id int, v text)");

    assertThatThrownBy(() -> f.run("nokey_cdc", task("public.nokey", "")))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("tables: public.nokey has no primary key")
        .hasMessageContaining("ALTER TABLE public.nokey ADD PRIMARY KEY");
  }

  @Test
  void an_unknown_table_and_a_source_that_is_not_postgres_are_refused() throws Exception {
    f.sql("CREATE TABLE public.known (id int PRIMARY KEY)");

    assertThatThrownBy(() -> f.run("bad_cdc", task("public.known, public.nope", "")))
        .hasMessageContaining("tables: public.nope does not exist in connection 'source_pg'")
        .hasMessageContaining("public.known");

    f.context.connection("maria", "jdbc:mariadb://127.0.0.1:3306/test?user=root");
    assertThatThrownBy(
            () -> f.run("bad_cdc", task("public.known", "").replace("source_pg", "maria")))
        .hasMessageContaining("connection 'maria' is not a PostgreSQL jdbc url")
        .hasMessageContaining("cdc.mysql");
  }

  @Test
  void masked_and_excluded_columns_never_reach_the_target_or_the_log() throws Exception {
    f.sql(
        "CREATE TABLE public.people (id int PRIMARY KEY, email text, phone text, ssn text,"
            + " city text)",
        "INSERT INTO public.people VALUES (1, 'ann@example.com', '555-0100', '123-45-6789',"
            + " 'Oslo')");
    String rules =
        "columns: {public.people: {exclude: [ssn]}}\n"
            + "mask: {public.people.email: hash, public.people.phone: redact, public.people.city:"
            + " drop}\n"
            + "maskSalt: pepper\n";
    f.run("people_cdc", task("public.people", rules));
    f.sql(
        "INSERT INTO public.people VALUES (2, 'bob@example.com', '555-0199', '987-65-4321', 'Rome')");
    f.run("people_cdc", task("public.people", rules));

    var target = f.source("SELECT * FROM raw.people ORDER BY id");
    assertThat(
            f.source(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'raw' AND"
                    + " table_name = 'people' ORDER BY ordinal_position"))
        .containsExactly("id", "email", "phone");
    assertThat(String.join("\n", target))
        .doesNotContain("ann@example.com", "bob@example.com", "555-01", "123-45", "Oslo", "Rome")
        .contains("***");
    assertThat(target.getFirst().split("\\|")[1]).hasSize(64); // sha-256 hex
    assertThat(String.join("\n", f.context.log()))
        .doesNotContain("ann@example.com", "bob@example.com", "555-0199", "987-65", "Rome");
  }

  @Test
  void changes_reach_a_duckdb_file_with_soft_deletes() throws Exception {
    f.sql(
        "CREATE TABLE public.items (id bigint PRIMARY KEY, name text, price numeric(8,2),"
            + " seen timestamp, tags jsonb, code uuid)",
        "INSERT INTO public.items VALUES (1, 'one', 1.5, '2026-03-04 05:06:07.123456',"
            + " '{\"a\": 1}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'), (2, 'two', 2, NULL, NULL,"
            + " NULL)");
    String duck =
        task("public.items", "deletes: soft\n")
            .replace("target: {connection: warehouse, schema: raw}", "target: {connection: duck}");
    f.run("items_cdc", duck);
    f.sql(
        "DELETE FROM public.items WHERE id = 2",
        "UPDATE public.items SET name = 'uno' WHERE id = 1");

    f.run("items_cdc", duck);

    assertThat(
            CdcFixture.rows(
                f.duckUrl(),
                "SELECT id, name, price, seen, code, _deleted, _deleted_at IS NOT NULL FROM items"
                    + " ORDER BY id"))
        .containsExactly(
            "1|uno|1.50|2026-03-04 05:06:07.123456|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|false|false",
            "2|two|2.00|null|null|true|true");
  }

  @Test
  void a_storm_of_typed_changes_reaches_a_duckdb_file_through_its_appender() throws Exception {
    f.sql(
        "CREATE TABLE public.typed (id int PRIMARY KEY, small smallint, big bigint, name text,"
            + " amount numeric(10,2), ratio double precision, r real, day date, at timestamp,"
            + " atz timestamptz, t time, flag boolean, raw bytea, code uuid, doc jsonb, vs numeric)");
    String duck =
        task("public.typed", "maxBatch: 2000\n")
            .replace("target: {connection: warehouse, schema: raw}", "target: {connection: duck}");
    f.run("typed_cdc", duck);
    var random = new Random(11);
    try (var c = java.sql.DriverManager.getConnection(pg.url())) {
      c.setAutoCommit(false);
      var ins =
          c.prepareStatement(
              "INSERT INTO public.typed VALUES (?, ?, ?, ?, ?, ?, ?, DATE '2026-01-01' + ?,"
                  + " TIMESTAMP '2026-01-01 00:00:00.123456' + ? * INTERVAL '1 minute',"
                  + " TIMESTAMPTZ '2026-01-01 00:00+02' + ? * INTERVAL '1 second',"
                  + " TIME '10:11:12.5' + ? * INTERVAL '1 second', ?, ?, gen_random_uuid(),"
                  + " jsonb_build_object('n', ?), ? + 0.00000000005) ON CONFLICT DO NOTHING");
      var upd =
          c.prepareStatement(
              "UPDATE public.typed SET amount = amount + 1.25, name = ?, flag = NOT flag,"
                  + " raw = NULL WHERE id = ?");
      var del = c.prepareStatement("DELETE FROM public.typed WHERE id = ?");
      for (int i = 0; i < 6_000; i++) {
        int id = random.nextInt(2_000);
        int op = random.nextInt(10);
        if (op < 5) {
          ins.setInt(1, id);
          ins.setShort(2, (short) (i % 300));
          ins.setLong(3, 10_000_000_000L + i);
          ins.setString(4, i % 7 == 0 ? null : "name " + i);
          ins.setBigDecimal(5, java.math.BigDecimal.valueOf(i, 2));
          ins.setDouble(6, i / 3.0);
          ins.setFloat(7, i / 4f);
          ins.setInt(8, i % 400);
          ins.setInt(9, i);
          ins.setInt(10, i);
          ins.setInt(11, i % 1000);
          ins.setBoolean(12, i % 2 == 0);
          ins.setBytes(13, new byte[] {(byte) i, 0, (byte) (i >> 8)});
          ins.setInt(14, i);
          ins.setInt(15, i);
          ins.addBatch();
        } else if (op < 8) {
          upd.setString(1, "upd " + i);
          upd.setInt(2, id);
          upd.addBatch();
        } else {
          del.setInt(1, id);
          del.addBatch();
        }
        if (i % 500 == 499) {
          ins.executeBatch();
          upd.executeBatch();
          del.executeBatch();
          c.commit();
        }
      }
      c.commit();
    }

    long appendedBefore = DuckUpserts.APPENDED.get();
    f.run("typed_cdc", duck);

    assertThat(DuckUpserts.APPENDED.get() - appendedBefore)
        .as("rows upserted through DuckDB's Appender")
        .isPositive();
    String cols =
        "id, small, big, name, amount, round(ratio * 1000000)::bigint, round(r * 100)::bigint,"
            + " day, %s, %s, %s, flag::int, %s, code, %s, %s";
    assertThat(
            CdcFixture.rows(
                f.duckUrl(),
                "SELECT "
                    + cols.formatted(
                        "epoch_us(\"at\")", "epoch_ms(atz)", "t", "hex(raw)", "doc->>'n'", "vs")
                    + " FROM typed ORDER BY id"))
        .isEqualTo(
            f.source(
                "SELECT "
                    + cols.formatted(
                        "(extract(epoch FROM at) * 1000000)::bigint",
                        "(extract(epoch FROM atz) * 1000)::bigint",
                        "to_char(t, 'HH24:MI:SS.MS')",
                        "upper(encode(raw, 'hex'))",
                        "doc->>'n'",
                        // an unbounded numeric lands in DECIMAL(38,10): its tie rounds half up
                        "round(vs, 10)")
                    + " FROM public.typed ORDER BY id"));
  }

  @Test
  void changes_reach_a_mariadb_target_by_primary_key() throws Exception {
    String maria = dev.weir.testing.TestDatabases.freshMysqlDatabaseUrl();
    f.context.connection("maria", maria);
    f.sql(
        "CREATE TABLE public.accounts (id int PRIMARY KEY, owner text, balance numeric(12,2),"
            + " opened timestamptz, flags jsonb)",
        "INSERT INTO public.accounts VALUES (1, 'ann', 10, '2026-01-01 00:00+00', '{\"vip\":"
            + " true}'), (2, 'bob', 20, NULL, NULL), (3, 'cy', 30, NULL, NULL)");
    String yaml =
        task("public.accounts", "")
            .replace("target: {connection: warehouse, schema: raw}", "target: {connection: maria}");
    f.run("accounts_cdc", yaml);
    f.sql(
        "UPDATE public.accounts SET balance = 11.5 WHERE id = 1",
        "UPDATE public.accounts SET id = 30 WHERE id = 3",
        "DELETE FROM public.accounts WHERE id = 2");

    TaskResult r = f.run("accounts_cdc", yaml);

    assertThat(r.outputs()).containsEntry("updates", 1L).containsEntry("deletes", 2L);
    assertThat(
            CdcFixture.rows(maria, "SELECT id, owner, balance, opened FROM accounts ORDER BY id"))
        .containsExactly("1|ann|11.50|2026-01-01 00:00:00.000000", "30|cy|30.00|null");
  }
}
