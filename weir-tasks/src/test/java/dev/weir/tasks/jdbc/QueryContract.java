package dev.weir.tasks.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.TestContext;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code jdbc.query} does on every database it supports. */
abstract class QueryContract {
  @TempDir Path dir;
  TestContext ctx;
  Db db;

  /** A JDBC url of an empty database (or schema) for one test. */
  abstract String freshUrl() throws Exception;

  @BeforeEach
  void connect() throws Exception {
    String url = freshUrl();
    db = new Db(url);
    ctx = new TestContext(dir);
    ctx.connection("dw", url);
    db.exec("CREATE TABLE accounts (id INT PRIMARY KEY, balance INT)");
  }

  TaskResult query(String yaml) throws Exception {
    return ctx.run("q", new JdbcQueryTask(), yaml);
  }

  @Test
  void runs_a_script_and_counts_the_rows_each_statement_affected() throws Exception {
    TaskResult r =
        query(
            """
            connection: dw
            sql: |
              INSERT INTO accounts VALUES (1, 10), (2, 20), (3, 30);
              UPDATE accounts SET balance = balance + 1 WHERE id >= 2;
              DELETE FROM accounts WHERE id = 1;
            """);
    assertThat(r.outputs()).containsEntry("statements", 3);
    assertThat(r.outputs().get("rowsAffected")).isEqualTo(List.of(3L, 2L, 1L));
    assertThat(r.audit().rowsWritten()).isEqualTo(6);
    assertThat(db.rows("SELECT id, balance FROM accounts ORDER BY id"))
        .containsExactly("2|21", "3|31");
    assertThat(ctx.log())
        .anyMatch(
            l -> l.contains("statement 2 (UPDATE accounts SET balance") && l.contains("2 rows"));
  }

  @Test
  void a_failing_statement_rolls_the_whole_script_back_and_is_named() throws Exception {
    db.exec("INSERT INTO accounts VALUES (1, 10)");
    assertThatThrownBy(() ->
            query(
                """
                connection: dw
                sql: |
                  UPDATE accounts SET balance = 0;
                  INSERT INTO accounts VALUES (2, 20);
                  INSERT INTO accounts VALUES (1, 99);
                """))
        .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining(
            "statement 3 of 3 failed (line 3: INSERT INTO accounts VALUES (1, 99))")
        .hasMessageContaining("rolled back");
    assertThat(db.rows("SELECT id, balance FROM accounts ORDER BY id")).containsExactly("1|10");
  }

  @Test
  void without_a_transaction_each_statement_stands_alone() throws Exception {
    assertThatThrownBy(() ->
            query(
                """
                connection: dw
                transaction: false
                sql: |
                  INSERT INTO accounts VALUES (1, 10);
                  INSERT INTO accounts VALUES (1, 11);
                """))
        .hasMessageContaining("statement 2 of 2 failed");
    assertThat(db.rows("SELECT id, balance FROM accounts")).containsExactly("1|10");
  }

  @Test
  void fetch_keeps_the_last_query_rows_as_the_dataset() throws Exception {
    TaskResult r =
        query(
            """
            connection: dw
            params: {min: 15}
            fetch: true
            sql: |
              INSERT INTO accounts VALUES (1, 10), (2, 20), (3, 30);
              SELECT id, balance FROM accounts WHERE balance > :min ORDER BY id
            """);
    assertThat(r.dataset().rowCount()).isEqualTo(2);
    assertThat(r.outputs()).containsEntry("rows", 2L);
    assertThat(
            new Db("jdbc:duckdb:")
                .rows("SELECT * FROM read_parquet('" + r.dataset().path() + "') ORDER BY 1"))
        .containsExactly("2|20", "3|30");
  }

  @Test
  void a_missing_parameter_is_named() throws Exception {
    assertThatThrownBy(() ->
            query("{connection: dw, params: {a: 1}, sql: 'DELETE FROM accounts WHERE id = :b'}"))
        .hasMessageContaining(":b")
        .hasMessageContaining("params");
  }
}
