package dev.weir.tasks.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weir.task.Dataset;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.TestContext;
import dev.weir.tasks.file.FileReadTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlTransformTaskTest {
  @TempDir Path dir;
  private TestContext ctx;

  @BeforeEach
  void stageTwoDatasets() throws Exception {
    Files.writeString(
        dir.resolve("orders.csv"), "order_id,customer_id,amount\n1,10,5.0\n2,11,7.5\n3,10,1.0\n");
    Files.writeString(dir.resolve("customers.csv"), "customer_id,country\n10,DE\n11,FR\n");
    ctx = new TestContext(dir);
    ctx.run("raw-orders", new FileReadTask(), "path: orders.csv");
    ctx.run("customers", new FileReadTask(), "path: customers.csv");
  }

  @Test
  void joins_upstream_datasets_named_by_task_id() throws Exception {
    TaskResult result =
        ctx.run(
            "by_country",
            new SqlTransformTask(),
            """
            sql: |
              SELECT c.country, sum(o.amount) AS total
              FROM "raw-orders" o JOIN customers c USING (customer_id)
              GROUP BY c.country ORDER BY c.country;
            """);
    Dataset d = result.dataset();
    assertThat(d.rowCount()).isEqualTo(2);
    assertThat(d.schema()).extracting(Dataset.Column::name).containsExactly("country", "total");
    assertThat(d.path()).isEqualTo(dir.resolve(".staging/by_country/data.parquet"));
    assertThat(result.outputs()).containsEntry("rows", 2L).containsKey("checksum");
  }

  @Test
  void a_bad_query_fails_with_duckdbs_message_and_the_available_tables() {
    assertThatThrownBy(
            () -> ctx.run("shape", new SqlTransformTask(), "sql: SELECT nope FROM customers"))
        .isInstanceOf(TaskFailedException.class)
        .satisfies(e -> assertThat(((TaskFailedException) e).retryable()).isFalse())
        .hasMessageStartingWith(
            "sql.transform query failed: Binder Error: Referenced column \"nope\" not found in FROM clause!")
        .hasMessageEndingWith("\nTables available: customers, raw-orders");
  }

  @Test
  void an_unknown_table_lists_the_available_ones() {
    assertThatThrownBy(() -> ctx.run("shape", new SqlTransformTask(), "sql: SELECT * FROM orders"))
        .hasMessageStartingWith(
            "sql.transform query failed: Catalog Error: Table with name orders does not exist!")
        .hasMessageEndingWith("\nTables available: customers, raw-orders");
  }

  @Test
  void cancel_interrupts_a_running_query() throws Exception {
    // a context of its own: with no upstream datasets the query is the only statement run, so
    // the thread seen executing in DuckDB below is executing the query
    var ctx = new TestContext(dir);
    var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
    Thread t =
        Thread.ofPlatform()
            .daemon() // should the cancel fail, the query runs for hours: let it not hold the JVM
            .start(() -> {
              try {
                ctx.run(
                    "slow",
                    new SqlTransformTask(),
                    "sql: SELECT count(*) AS n FROM range(100000000000) r(a) WHERE hash(a) % 7 = 3");
              } catch (Throwable e) {
                failure.set(e);
              }
            });
    // a cancel before the query runs would end it as "cancelled", not interrupt it
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> executingInDuckDb(t));
    long start = System.nanoTime();
    // DuckDB can lose a cancel that comes as the native execution starts: cancel until it ends
    long deadline = start + 3_000_000_000L;
    while (t.isAlive() && System.nanoTime() < deadline) {
      ctx.cancel();
      t.join(100);
    }
    assertThat(t.isAlive()).as("the query still runs 3 s after the first cancel").isFalse();
    assertThat(failure.get()).hasMessageContaining("Interrupt");
  }

  /** Whether {@code t} is inside DuckDB's native execution of a statement. */
  private static boolean executingInDuckDb(Thread t) {
    StackTraceElement[] stack = t.getStackTrace();
    return stack.length > 0
        && stack[0].getClassName().startsWith("org.duckdb.")
        && stack[0].getMethodName().contains("execute");
  }

  @Test
  void mask_hashes_stably_redacts_and_drops() throws Exception {
    var ctx = new dev.weir.tasks.TestContext(dir);
    String sql =
        "sql: \"SELECT 'ann@example.com' AS email, 'x' AS note, 42 AS secret_n, 'y' AS ssn\"";
    var a =
        ctx.run(
            "a",
            new SqlTransformTask(),
            "{"
                + sql
                + ", mask: {email: hash, note: redact, secret_n: redact, ssn: drop}, maskSalt: s1}");
    var b =
        ctx.run("b", new SqlTransformTask(), "{" + sql + ", mask: {email: hash}, maskSalt: s1}");
    var c =
        ctx.run("c", new SqlTransformTask(), "{" + sql + ", mask: {email: hash}, maskSalt: s2}");
    assertThat(a.dataset().schema().stream().map(dev.weir.task.Dataset.Column::name))
        .containsExactly("email", "note", "secret_n");
    String rowA =
        one(
            a.dataset(),
            "SELECT email || '|' || note || '|' || coalesce(secret_n::VARCHAR, 'null')");
    String hashB = one(b.dataset(), "SELECT email");
    String hashC = one(c.dataset(), "SELECT email");
    assertThat(rowA).startsWith(hashB + "|***|null").doesNotContain("ann@example.com");
    assertThat(hashB).hasSize(64).isNotEqualTo(hashC);
    assertThatThrownBy(
            () -> ctx.run("d", new SqlTransformTask(), "{" + sql + ", mask: {mail: drop}}"))
        .hasMessageContaining("mask names column 'mail', which is not in the data");
    assertThat(
            dev.weir.tasks.TestContext.problems(
                new SqlTransformTask(), "{" + sql + ", mask: {email: hash}}"))
        .containsExactly(
            "mask with hash needs maskSalt, a secret that keeps hashes from being reversed by"
                + " guessing, e.g. `maskSalt: \"{{ secret('PII_SALT') }}\"`");
  }

  private static String one(dev.weir.task.Dataset d, String select) throws Exception {
    try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        var rs =
            c.createStatement().executeQuery(select + " FROM read_parquet('" + d.path() + "')")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
