package dev.weir.tasks.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.deadletter.DeadLetterSpec;
import dev.weir.task.TaskResult;
import dev.weir.tasks.S3Fixture;
import dev.weir.tasks.file.FileReadTask;
import dev.weir.tasks.jdbc.JdbcLoadTask;
import dev.weir.tasks.sql.SqlTransformTask;
import dev.weir.testing.TestDatabases;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;

/** Dead letters kept under an S3 prefix and in a database table, read back as the CLI does. */
class DeadLetterStoragesTest extends S3Fixture {
  private static final String SCHEMA = "schema: {id: BIGINT, amount: BIGINT}\n";

  @Test
  void letters_under_an_s3_prefix_are_one_object_per_attempt_rewritten_by_a_retry()
      throws Exception {
    write("orders.csv", "id,amount\n1,10\n2,abc\n3,x\n");
    ctx.deadLetter(new DeadLetterSpec(uri("dead/"), null, "lake", "2"));
    TaskResult r = ctx.run("orders", new FileReadTask(), "path: orders.csv\n" + SCHEMA);
    String location = uri("dead/run-1/orders-1.jsonl") + "#lake";
    assertThat(r.outputs()).containsEntry("deadLetters", location);
    assertThat(ctx.read(location))
        .extracting(l -> l.get("reason").asText())
        .satisfiesExactly(
            reason -> assertThat(reason).startsWith("line 3, column amount:"),
            reason -> assertThat(reason).startsWith("line 4, column amount:"));
    // the same attempt again, after a fix: its object now holds the one row still bad
    write("orders.csv", "id,amount\n1,10\n2,20\n3,x\n");
    ctx.run("orders", new FileReadTask(), "path: orders.csv\n" + SCHEMA);
    assertThat(ctx.read(location)).hasSize(1);
    write("orders.csv", "id,amount\n1,10\n");
    ctx.run("orders", new FileReadTask(), "path: orders.csv\n" + SCHEMA);
    assertThat(exists("dead/run-1/orders-1.jsonl")).isFalse();
  }

  @Test
  void letters_in_a_table_are_created_with_it_and_replaced_per_attempt() throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    ctx.connection("warehouse", url);
    try (var c = DriverManager.getConnection(url)) {
      c.createStatement()
          .execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL)");
    }
    ctx.run(
        "v1",
        new SqlTransformTask(),
        "sql: \"SELECT * FROM (VALUES (1, 5), (2, NULL), (3, 7)) t(id, qty)\"");
    ctx.deadLetter(new DeadLetterSpec(null, "dead_letters", "warehouse", "1"));
    String yaml = "{connection: warehouse, dataset: v1, table: orders, mode: upsert, key: [id]}";
    TaskResult r = ctx.run("load", new JdbcLoadTask(), yaml);
    String location = (String) r.outputs().get("deadLetters");
    assertThat(location).startsWith("table:warehouse/dead_letters#");
    ctx.run("load", new JdbcLoadTask(), yaml);
    assertThat(ctx.read(location))
        .singleElement()
        .satisfies(l -> {
          assertThat(l.get("record").toString()).isEqualTo("{\"id\":2,\"qty\":null}");
          assertThat(l.get("reason").asText()).startsWith("row 2: ERROR: null value in column");
          assertThat(l.get("task").asText()).isEqualTo("load");
        });
    try (var c = DriverManager.getConnection(url);
        var rs = c.createStatement().executeQuery("SELECT count(*) FROM dead_letters")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(1);
    }
  }
}
