package dev.weir.tasks.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.testing.BinlogMariaDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cdc.mysql against a MariaDB of the test's own with the binlog on, into PostgreSQL and DuckDB. */
class CdcMysqlTaskTest {
  private static BinlogMariaDb db;

  @TempDir Path dir;
  private MysqlCdcFixture f;

  @BeforeAll
  static void startMariaDb() throws Exception {
    db = BinlogMariaDb.start();
    try (var c = DriverManager.getConnection(db.url("mysql"))) {
      c.createStatement().execute("CREATE DATABASE shop");
    }
  }

  @AfterAll
  static void stopMariaDb() {
    if (db != null) {
      db.close();
    }
  }

  @BeforeEach
  void fixture() {
    f = new MysqlCdcFixture(db, dir);
  }

  private static String task(String tables, String extra) {
    return "connection: source_mysql\n"
        + "tables: ["
        + tables
        + "]\n"
        + "target: {connection: warehouse}\n"
        + "maxLatency: 200ms\n"
        + "stopWhen: caughtUp\n"
        + extra;
  }

  @Test
  void a_snapshot_then_streamed_changes_reach_the_target() throws Exception {
    f.sql(
        "CREATE TABLE orders (id int PRIMARY KEY, amount decimal(10,2), placed date, at"
            + " datetime(6), note varchar(100), done boolean)",
        "INSERT INTO orders VALUES (1, 10.50, '2026-01-02', '2026-01-02 10:00:00.123456', 'a',"
            + " true), (2, 20, NULL, NULL, NULL, false)");

    TaskResult first = f.run("orders_cdc", task("shop.orders", ""));

    assertThat(first.outputs())
        .containsEntry("snapshotRows", 2L)
        .containsEntry("stopped", "caught up");
    assertThat(f.target("SELECT id, amount, placed, at, note, done FROM orders ORDER BY id"))
        .containsExactly(
            // boolean is tinyint(1) in MySQL, and reaches the target as a number
            "1|10.50|2026-01-02|2026-01-02 10:00:00.123456|a|1", "2|20.00|null|null|null|0");

    f.sql(
        "INSERT INTO orders VALUES (3, 30, '2026-02-03', now(), 'c', false)",
        "UPDATE orders SET note = 'changed', amount = 11 WHERE id = 1",
        "DELETE FROM orders WHERE id = 2");
    TaskResult second = f.run("orders_cdc", task("shop.orders", ""));

    assertThat(second.outputs())
        .containsEntry("snapshotRows", 0L)
        .containsEntry("inserts", 1L)
        .containsEntry("updates", 1L)
        .containsEntry("deletes", 1L);
    assertThat(f.target("SELECT id, amount, note FROM orders ORDER BY id"))
        .containsExactly("1|11.00|changed", "3|30.00|c");
  }

  @Test
  void a_storm_of_mixed_changes_leaves_the_target_equal_to_the_source() throws Exception {
    f.sql("CREATE TABLE storm (id int PRIMARY KEY, v int, s varchar(40))");
    f.run("storm_cdc", task("shop.storm", ""));
    storm("storm", 6_000, 11);

    TaskResult r = f.run("storm_cdc", task("shop.storm", "maxBatch: 2000\n"));

    String all = "SELECT id, v, s FROM storm ORDER BY id";
    assertThat(f.target(all)).isEqualTo(f.source(all));
    assertThat((Long) r.outputs().get("events")).isGreaterThan(3_000L);
    System.out.printf("cdc.mysql storm: outputs %s%n", r.outputs());
  }

  /** Inserts, updates and deletes of random ids in transactions of 200 statements. */
  private void storm(String table, int statements, long seed) throws Exception {
    var random = new Random(seed);
    try (var c = DriverManager.getConnection(db.url("shop"))) {
      c.setAutoCommit(false);
      var ins = c.prepareStatement("INSERT IGNORE INTO " + table + " VALUES (?, ?, ?)");
      var upd = c.prepareStatement("UPDATE " + table + " SET v = v + 1, s = ? WHERE id = ?");
      var del = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?");
      for (int i = 0; i < statements; i++) {
        int id = random.nextInt(1_500);
        int op = random.nextInt(10);
        if (op < 5) {
          ins.setInt(1, id);
          ins.setInt(2, i);
          ins.setString(3, "row " + i);
          ins.executeUpdate();
        } else if (op < 8) {
          upd.setString(1, "upd " + i);
          upd.setInt(2, id);
          upd.executeUpdate();
        } else {
          del.setInt(1, id);
          del.executeUpdate();
        }
        if (i % 200 == 199) {
          c.commit();
        }
      }
      c.commit();
    }
  }

  @Test
  void a_stopped_stream_continues_from_its_stored_offset_and_schema_history() throws Exception {
    f.sql("CREATE TABLE resume (id int PRIMARY KEY, v varchar(40))");
    var running =
        f.start("resume_cdc", task("shop.resume", "").replace("stopWhen: caughtUp\n", ""));
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> !f.history("resume_cdc").isEmpty());
    for (int i = 1; i <= 500; i++) {
      f.sql("INSERT INTO resume VALUES (" + i + ", 'first " + i + "')");
    }
    Awaitility.await()
        .atMost(60, TimeUnit.SECONDS)
        .ignoreExceptions() // until the target table is made
        .until(() -> f.target("SELECT count(*) FROM resume").equals(List.of("500")));
    TaskResult stopped = f.stop(running);
    assertThat(stopped.outputs()).containsEntry("stopped", "cancelled");

    f.sql(
        "INSERT INTO resume SELECT id + 500, CONCAT('second ', id) FROM resume WHERE id <= 200",
        "UPDATE resume SET v = 'again' WHERE id <= 10");
    TaskResult again = f.run("resume_cdc", task("shop.resume", ""));

    assertThat(again.outputs()).containsEntry("snapshotRows", 0L).containsEntry("inserts", 200L);
    assertThat(again.outputs().get("updates")).isEqualTo(10L);
    String all = "SELECT id, v FROM resume ORDER BY id";
    assertThat(f.target(all)).isEqualTo(f.source(all));
    // the schema history is in the state store, and no file holds it
    assertThat(f.history("resume_cdc"))
        .anyMatch(h -> h.contains("CREATE TABLE") && h.contains("resume"));
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.contains("history") || n.endsWith(".dat"));
    }
  }

  @Test
  void a_purged_binlog_is_resnapshotted_when_configured_and_fails_otherwise() throws Exception {
    f.sql(
        "CREATE TABLE lost (id int PRIMARY KEY, v varchar(20))",
        "INSERT INTO lost VALUES (1, 'one')");
    f.run("lost_cdc", task("shop.lost", ""));
    f.sql("INSERT INTO lost VALUES (2, 'two')", "FLUSH BINARY LOGS");
    String newest = f.source("SHOW BINARY LOGS").getLast().split("\\|")[0];
    // MariaDB keeps a binlog until InnoDB's checkpoint passed it: purge until it is gone
    Awaitility.await()
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> {
          f.sql("PURGE BINARY LOGS TO '" + newest + "'");
          return f.source("SHOW BINARY LOGS").size() == 1;
        });

    assertThatThrownBy(() -> f.run("lost_cdc", task("shop.lost", "")))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("is no longer on the server of connection 'source_mysql'")
        .hasMessageContaining("purged")
        .hasMessageContaining("onLostPosition: resnapshot")
        .hasMessageContaining("binlog_expire_logs_seconds");

    TaskResult r = f.run("lost_cdc", task("shop.lost", "onLostPosition: resnapshot\n"));

    assertThat(r.outputs()).containsEntry("resnapshotted", true).containsEntry("snapshotRows", 2L);
    assertThat(f.context.streamReports())
        .filteredOn(line -> line.startsWith("position lost"))
        .hasSize(2);
    assertThat(f.target("SELECT id, v FROM lost ORDER BY id")).containsExactly("1|one", "2|two");
    f.sql("INSERT INTO lost VALUES (3, 'three')");
    f.run("lost_cdc", task("shop.lost", ""));
    assertThat(f.target("SELECT id, v FROM lost ORDER BY id"))
        .containsExactly("1|one", "2|two", "3|three");
  }

  @Test
  void a_column_added_mid_stream_is_added_to_the_target_or_stops_the_stream() throws Exception {
    f.sql(
        "CREATE TABLE grow (id int PRIMARY KEY, v varchar(20))",
        "INSERT INTO grow VALUES (1, 'one')");
    f.run("grow_cdc", task("shop.grow", ""));
    f.sql(
        "ALTER TABLE grow ADD COLUMN note varchar(40)",
        "INSERT INTO grow VALUES (2, 'two', 'new column')");

    assertThatThrownBy(() -> f.run("grow_cdc", task("shop.grow", "schemaChanges: fail\n")))
        .hasMessageContaining("source table shop.grow has a new column note")
        .hasMessageContaining("schemaChanges: addColumns");

    f.run("grow_cdc", task("shop.grow", "schemaChanges: addColumns\n"));
    assertThat(f.target("SELECT id, v, note FROM grow ORDER BY id"))
        .containsExactly("1|one|null", "2|two|new column");
  }

  @Test
  void a_primary_key_update_leaves_only_the_new_row() throws Exception {
    f.sql(
        "CREATE TABLE rekey (id int PRIMARY KEY, v varchar(20))",
        "INSERT INTO rekey VALUES (1, 'one'), (2, 'two')");
    f.run("rekey_cdc", task("shop.rekey", ""));
    f.sql("UPDATE rekey SET id = 100 WHERE id = 1");

    f.run("rekey_cdc", task("shop.rekey", ""));

    assertThat(f.target("SELECT id, v FROM rekey ORDER BY id")).containsExactly("2|two", "100|one");
  }

  @Test
  void a_table_without_a_primary_key_an_unknown_table_and_a_postgres_url_are_refused()
      throws Exception {
    f.sql("CREATE TABLE nokey (id int, v varchar(20))", "CREATE TABLE known (id int PRIMARY KEY)");

    assertThatThrownBy(() -> f.run("nokey_cdc", task("shop.nokey, shop.known, shop.nope", "")))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("tables: shop.nokey has no primary key")
        .hasMessageContaining("ALTER TABLE shop.nokey ADD PRIMARY KEY")
        .hasMessageContaining("tables: shop.nope does not exist in connection 'source_mysql'");

    f.context.connection("pg", f.warehouse);
    assertThatThrownBy(() -> f.run("pg_cdc", task("shop.known", "").replace("source_mysql", "pg")))
        .hasMessageContaining("connection 'pg' is not a MariaDB or MySQL jdbc url")
        .hasMessageContaining("cdc.postgres");
  }

  @Test
  void a_server_without_row_images_or_a_user_without_replication_rights_is_refused()
      throws Exception {
    f.sql("CREATE TABLE rights (id int PRIMARY KEY)");
    f.sql("SET GLOBAL binlog_row_image = 'MINIMAL'");
    try {
      assertThatThrownBy(() -> f.run("rights_cdc", task("shop.rights", "")))
          .hasMessageContaining("runs with binlog_row_image = MINIMAL")
          .hasMessageContaining("SET GLOBAL binlog_row_image = 'FULL'");
    } finally {
      f.sql("SET GLOBAL binlog_row_image = 'FULL'");
    }
    f.sql(
        "CREATE USER IF NOT EXISTS 'reader'@'%' IDENTIFIED BY 'pw'",
        "GRANT SELECT ON shop.* TO 'reader'@'%'");
    f.context.connection(
        "reader", "jdbc:mariadb://127.0.0.1:" + db.port() + "/shop?user=reader&password=pw");

    assertThatThrownBy(
            () -> f.run("rights_cdc", task("shop.rights", "").replace("source_mysql", "reader")))
        .hasMessageContaining("user reader@% lacks the REPLICATION SLAVE and REPLICATION CLIENT")
        .hasMessageContaining("GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE")
        .hasMessageNotContaining("pw");
  }

  @Test
  void changes_reach_a_duckdb_file_with_soft_deletes() throws Exception {
    f.sql(
        "CREATE TABLE items (id bigint PRIMARY KEY, name varchar(20), price decimal(8,2), seen"
            + " timestamp(6) NULL, tags json, code char(36))",
        "INSERT INTO items VALUES (1, 'one', 1.5, '2026-03-04 05:06:07.123456', '{\"a\": 1}',"
            + " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'), (2, 'two', 2, NULL, NULL, NULL)");
    String duck =
        task("shop.items", "deletes: soft\n")
            .replace("{connection: warehouse}", "{connection: duck}");
    f.run("items_cdc", duck);
    f.sql("DELETE FROM items WHERE id = 2", "UPDATE items SET name = 'uno' WHERE id = 1");

    f.run("items_cdc", duck);

    assertThat(
            CdcFixture.rows(
                f.duckUrl(),
                "SELECT id, name, price, code, _deleted, _deleted_at IS NOT NULL FROM items ORDER"
                    + " BY id"))
        .containsExactly(
            "1|uno|1.50|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|false|false",
            "2|two|2.00|null|true|true");
  }

  @Test
  void a_source_killed_mid_stream_is_read_again_once_back_losing_and_doubling_nothing()
      throws Exception {
    f.sql("CREATE TABLE crash (id int PRIMARY KEY, v int, s varchar(40))");
    var running = f.start("crash_cdc", task("shop.crash", "").replace("stopWhen: caughtUp\n", ""));
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> !f.history("crash_cdc").isEmpty());
    storm("crash", 2_000, 5);
    Awaitility.await()
        .atMost(60, TimeUnit.SECONDS)
        .ignoreExceptions()
        .until(() -> !f.target("SELECT count(*) FROM crash").equals(List.of("0")));

    db.kill(); // kill -9 of the source while it is being read
    Thread.sleep(3_000); // the reader tries to reconnect every 2 s meanwhile
    db.startServer();
    storm("crash", 1_000, 6);

    String all = "SELECT id, v, s FROM crash ORDER BY id";
    Awaitility.await()
        .atMost(90, TimeUnit.SECONDS)
        .pollInterval(500, TimeUnit.MILLISECONDS)
        .until(() -> f.target(all).equals(f.source(all)));
    assertThat(f.stop(running).outputs()).containsEntry("stopped", "cancelled");
    assertThat(running).isDone();
  }

  @Test
  void a_reset_binlog_is_a_lost_position_too() throws Exception {
    // from a fresh first binlog file, which the reset below makes again, shorter
    f.sql(
        "RESET MASTER",
        "CREATE TABLE reset (id int PRIMARY KEY, v varchar(100))",
        "INSERT INTO reset VALUES (1, REPEAT('x', 100)), (2, REPEAT('y', 100))");
    f.run("reset_cdc", task("shop.reset", ""));
    f.sql("RESET MASTER");

    assertThatThrownBy(() -> f.run("reset_cdc", task("shop.reset", "")))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("binlog file binlog.000001 of connection 'source_mysql' is shorter")
        .hasMessageContaining("the server's binary log was reset, or this is another server");
  }

  @Test
  void changes_reach_a_mariadb_target_by_primary_key() throws Exception {
    String maria = dev.weir.testing.TestDatabases.freshMysqlDatabaseUrl();
    f.context.connection("maria", maria);
    f.sql(
        "CREATE TABLE accounts (id int PRIMARY KEY, owner varchar(20), balance decimal(12,2),"
            + " opened timestamp(6) NULL, flags json)",
        "INSERT INTO accounts VALUES (1, 'ann', 10, '2026-01-01 00:00:00', '{\"vip\": true}'),"
            + " (2, 'bob', 20, NULL, NULL), (3, 'cy', 30, NULL, NULL)");
    String yaml =
        task("shop.accounts", "").replace("{connection: warehouse}", "{connection: maria}");
    f.run("accounts_cdc", yaml);
    f.sql(
        "UPDATE accounts SET balance = 11.5 WHERE id = 1",
        "UPDATE accounts SET id = 30 WHERE id = 3",
        "DELETE FROM accounts WHERE id = 2");

    TaskResult r = f.run("accounts_cdc", yaml);

    assertThat(r.outputs()).containsEntry("updates", 1L).containsEntry("deletes", 2L);
    assertThat(CdcFixture.rows(maria, "SELECT id, owner, balance FROM accounts ORDER BY id"))
        .containsExactly("1|ann|11.50", "30|cy|30.00");
  }

  @Test
  void changes_the_target_refuses_become_dead_letters_and_the_stream_goes_on() throws Exception {
    f.sql(
        "CREATE TABLE scores (id int PRIMARY KEY, v int, note varchar(20))",
        "INSERT INTO scores VALUES (1, 5, 'a'), (2, -1, 'b'), (3, 7, NULL), (4, 8, 'd')");
    f.targetSql(
        "CREATE TABLE scores (id int PRIMARY KEY, v int CHECK (v >= 0), note text NOT NULL)");
    f.context.deadLetter("dead/", "5");

    TaskResult first = f.run("scores_cdc", task("shop.scores", ""));

    assertThat(f.target("SELECT id, v, note FROM scores ORDER BY id"))
        .containsExactly("1|5|a", "4|8|d");
    assertThat(first.outputs()).containsEntry("rejected", 2L);

    f.sql(
        "INSERT INTO scores VALUES (5, -3, 'e'), (6, 1, 'f')",
        "UPDATE scores SET v = 9 WHERE id = 1");
    TaskResult second = f.run("scores_cdc", task("shop.scores", ""));

    assertThat(second.outputs()).containsEntry("rejected", 1L);
    assertThat(f.target("SELECT id, v, note FROM scores ORDER BY id"))
        .containsExactly("1|9|a", "4|8|d", "6|1|f");
    String letters;
    try (var files = java.nio.file.Files.walk(dir.resolve("dead"))) {
      var all = new StringBuilder();
      for (Path p : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
        all.append(java.nio.file.Files.readString(p));
      }
      letters = all.toString();
    }
    assertThat(letters.lines().count()).isEqualTo(3);
    assertThat(letters)
        .contains("\"taskType\":\"cdc.mysql\"")
        .contains("\"table\":\"shop.scores\"")
        .contains("scores_v_check");
  }

  @Test
  void a_source_truncate_stops_the_stream_unless_applied() throws Exception {
    f.sql(
        "CREATE TABLE trunc (id int PRIMARY KEY, v varchar(20))",
        "INSERT INTO trunc VALUES (1, 'one'), (2, 'two')");
    f.run("trunc_cdc", task("shop.trunc", ""));
    f.sql(
        "INSERT INTO trunc VALUES (10, 'before')",
        "TRUNCATE TABLE trunc",
        "INSERT INTO trunc VALUES (11, 'after')");

    assertThatThrownBy(() -> f.run("trunc_cdc", task("shop.trunc", "")))
        .isInstanceOf(dev.weir.task.TaskFailedException.class)
        .hasMessageContaining("source table shop.trunc was truncated")
        .hasMessageContaining("truncates: apply");
    // the stream stops before the batch that holds the truncate: the insert of 10, committed
    // before it, is applied when an earlier batch took it (timing decides); 11, after it, never
    assertThat(f.target("SELECT id FROM trunc ORDER BY id"))
        .isIn(java.util.List.of("1", "2"), java.util.List.of("1", "2", "10"));

    TaskResult applied = f.run("trunc_cdc", task("shop.trunc", "truncates: apply\n"));

    assertThat(applied.outputs()).containsEntry("truncates", 1L);
    assertThat(f.target("SELECT id, v FROM trunc ORDER BY id")).containsExactly("11|after");
  }

  @Test
  void unsigned_bigints_keep_their_value_and_long_times_reach_a_mariadb_target() throws Exception {
    String maria = dev.weir.testing.TestDatabases.freshMysqlDatabaseUrl();
    f.context.connection("maria", maria);
    f.sql(
        "CREATE TABLE wide (id int PRIMARY KEY, big bigint unsigned, span time)",
        "INSERT INTO wide VALUES (1, 18446744073709551615, '25:00:00'),"
            + " (2, 9223372036854775808, '-01:30:00'), (3, 7, '10:11:12')");

    f.run(
        "wide_cdc",
        task("shop.wide", "").replace("{connection: warehouse}", "{connection: maria}"));

    assertThat(CdcFixture.rows(maria, "SELECT id, big, span FROM wide ORDER BY id"))
        .containsExactly(
            "1|18446744073709551615|25:00:00.000000",
            "2|9223372036854775808|-01:30:00.000000",
            "3|7|10:11:12.000000");
  }
}
