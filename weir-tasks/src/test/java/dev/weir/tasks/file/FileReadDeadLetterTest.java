package dev.weir.tasks.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.TestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** file.read with {@code deadLetter:}: rejected rows go to the dead letters. */
class FileReadDeadLetterTest {
  private static final String SCHEMA = "schema: {id: BIGINT, amount: 'DECIMAL(10,2)', day: DATE}\n";

  @TempDir Path dir;

  private void orders() throws Exception {
    Files.writeString(
        dir.resolve("orders.csv"),
        "id,amount,day\n1,10.50,2024-01-01\n2,abc,nodate\n3,7,2024-01-03\n4,8,2024-01-04\n");
  }

  @Test
  void rejected_rows_go_to_the_dead_letters_with_every_problem_of_the_row() throws Exception {
    orders();
    var ctx = new TestContext(dir).deadLetter("dead/", "25%");
    TaskResult r = ctx.run("orders", new FileReadTask(), "path: orders.csv\n" + SCHEMA);
    assertThat(r.dataset().rowCount()).isEqualTo(3);
    assertThat(r.outputs())
        .containsEntry("rejected", 1L)
        .containsEntry(
            "deadLetters", dir.resolve("dead/run-1/orders-1.jsonl").toAbsolutePath().toString());
    assertThat(ctx.letters("orders"))
        .singleElement()
        .asString()
        .contains("\"record\":{\"line\":3,\"raw\":\"2,abc,nodate\"}")
        .contains(
            "\"reason\":\"line 3, column amount: Error when converting column \\\"amount\\\".")
        .contains("; column day: Error when converting column \\\"day\\\".");
  }

  @Test
  void more_than_the_dead_letters_maxRejected_fails_with_their_message() throws Exception {
    orders();
    var ctx = new TestContext(dir).deadLetter("dead/", null);
    assertThatThrownBy(() -> ctx.run("orders", new FileReadTask(), "path: orders.csv\n" + SCHEMA))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageStartingWith(
            "task orders set aside 1 of 4 records (25%), more than maxRejected 0; see "
                + dir.resolve("dead/run-1/orders-1.jsonl").toAbsolutePath()
                + " (first: line 3, column amount: ");
  }

  @Test
  void maxRejected_beside_deadLetter_is_refused_naming_where_it_goes() throws Exception {
    orders();
    var ctx = new TestContext(dir).deadLetter("dead/", null);
    assertThatThrownBy(() ->
            ctx.run("orders", new FileReadTask(), "path: orders.csv\nmaxRejected: 5%\n" + SCHEMA))
        .hasMessage(
            "file.read: with deadLetter, set maxRejected under it (e.g. `deadLetter: {path: dead/,"
                + " maxRejected: 5%}`), not beside it");
  }
}
