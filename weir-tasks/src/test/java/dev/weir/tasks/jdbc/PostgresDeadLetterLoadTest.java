package dev.weir.tasks.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.TaskFailedException;
import dev.weir.testing.TestDatabases;
import org.junit.jupiter.api.Test;

class PostgresDeadLetterLoadTest extends DeadLetterLoadContract {
  @Override
  String freshUrl() {
    return TestDatabases.freshPostgresSchemaUrl();
  }

  @Test
  void an_append_whose_commit_reply_is_lost_keeps_its_letters_for_the_retry_that_finds_it_done()
      throws Exception {
    String url = freshUrl();
    var hostPort = java.util.regex.Pattern.compile("//([^/:]+):(\\d+)/").matcher(url);
    org.junit.jupiter.api.Assumptions.assumeTrue(hostPort.find(), "no host:port in " + url);
    db = new Db(url);
    db.exec("CREATE TABLE orders (id INTEGER PRIMARY KEY, name VARCHAR(5) NOT NULL, qty INTEGER)");
    stage("v", "(2, 'ok', 1), (3, NULL, 1), (4, NULL, 1), (5, NULL, 1), (6, 'six', 2)");
    ctx.deadLetter("dead/", "10");
    try (var store = dev.weir.store.JdbcStateStore.h2(dir.resolve(".weir"));
        var proxy = new CommitDroppingProxy(Integer.parseInt(hostPort.group(2)))) {
      ctx.store(store);
      ctx.connection("flaky", hostPort.replaceFirst("//127.0.0.1:" + proxy.port() + "/"));
      ctx.connection("direct", url);
      assertThatThrownBy(() ->
              ctx.run("load", new JdbcLoadTask(), "{connection: flaky, table: orders, dataset: v}"))
          .isInstanceOfSatisfying(
              TaskFailedException.class, e -> assertThat(e.retryable()).isTrue())
          .hasMessageContaining("failed at its commit")
          .hasMessageContaining(
              "the target's commit may have succeeded (its outcome is unknown), so its 3 dead"
                  + " letters at "
                  + dir.resolve("dead/run-1/load-1.jsonl").toAbsolutePath()
                  + " were kept");
      assertThat(proxy.dropped()).isTrue();
      // it did commit: the good rows are in, and the retry finds the append done
      assertThat(db.rows("SELECT id FROM orders ORDER BY id")).containsExactly("2", "6");
      var again =
          ctx.run("load", new JdbcLoadTask(), "{connection: direct, table: orders, dataset: v}");
      assertThat(again.outputs())
          .containsEntry("alreadyLoaded", true)
          .containsEntry("rejected", 3L)
          .containsEntry(
              "deadLetters", dir.resolve("dead/run-1/load-1.jsonl").toAbsolutePath().toString());
    }
    assertThat(ctx.letters("load")).hasSize(3);
    assertThat(db.rows("SELECT id FROM orders ORDER BY id")).containsExactly("2", "6");
  }

  @Test
  void a_target_that_fails_at_its_commit_keeps_no_letters() throws Exception {
    // the key is checked at the commit: every row writes, the commit fails after the letters
    db.exec(
        "CREATE TABLE deferred (id INTEGER, name VARCHAR(5) NOT NULL, qty INTEGER,"
            + " CONSTRAINT deferred_pk PRIMARY KEY (id) DEFERRABLE INITIALLY DEFERRED)",
        "INSERT INTO deferred VALUES (1, 'old', 1)");
    stage("v", "(2, 'ok', 1), (3, NULL, 1), (1, 'dup', 1)");
    ctx.deadLetter("dead/", "10");
    assertThatThrownBy(() ->
            ctx.run(
                "load", new JdbcLoadTask(), "{connection: target, table: deferred, dataset: v}"))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("failed, nothing was loaded")
        .hasMessageContaining("deferred_pk");
    assertThat(db.rows("SELECT id FROM deferred")).containsExactly("1");
    assertThat(ctx.letters("load")).isEmpty();
    assertThat(dir.resolve("dead/run-1")).isEmptyDirectory();
  }
}
