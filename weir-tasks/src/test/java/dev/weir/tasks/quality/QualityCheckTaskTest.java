package dev.weir.tasks.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.TestContext;
import dev.weir.tasks.file.FileReadTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QualityCheckTaskTest {
  private static final String KINDS =
      "rowCount, notNull, unique, acceptedValues, expression, freshness, range, regex,"
          + " relationships, sql, anomaly";
  @TempDir Path dir;
  private TestContext ctx;

  @BeforeEach
  void stageOrders() throws Exception {
    Files.writeString(
        dir.resolve("orders.csv"),
        """
        order_id,customer_id,status,amount
        1,10,open,5.0
        2,,shipped,7.5
        3,12,lost,-1.0
        3,13,open,2.0
        """);
    ctx = new TestContext(dir);
    ctx.run("orders", new FileReadTask(), "path: orders.csv");
  }

  private TaskResult check(String checks) throws Exception {
    return ctx.run("check", new QualityCheckTask(), "dataset: orders\nchecks:\n" + checks);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> results(Map<String, Object> outputs) {
    return (List<Map<String, Object>>) outputs.get("checks");
  }

  @Test
  void passing_checks_of_every_kind_succeed() throws Exception {
    TaskResult result =
        check(
            """
            - rowCount: {min: 1, max: 4}
            - notNull: [order_id, status]
            - unique: [order_id, customer_id]
            - acceptedValues: {column: status, values: [open, shipped, lost]}
            - expression: amount < 100
            """);
    assertThat(result.outputs()).containsEntry("failed", 0);
    assertThat(results(result.outputs()))
        .extracting(r -> r.get("name"))
        .containsExactly(
            "rowCount(min=1, max=4)",
            "notNull(order_id, status)",
            "unique(order_id, customer_id)",
            "acceptedValues(status in [open, shipped, lost])",
            "expression(amount < 100)");
    assertThat(results(result.outputs()))
        .allSatisfy(r -> assertThat(r).containsEntry("passed", true));
    assertThat(result.dataset()).isNull();
  }

  @Test
  void not_null_failure_lists_the_failing_rows() {
    assertThatThrownBy(() -> check("- notNull: customer_id"))
        .isInstanceOf(TaskFailedException.class)
        .hasMessage(
            "quality.check on dataset 'orders' failed 1 of 1 check:\n"
                + "  notNull(customer_id): 1 failing row, e.g. {order_id=2, customer_id=null,"
                + " status=shipped, amount=7.5}\n"
                + "The task outputs hold up to 5 failing rows per check. Fix the data upstream, or"
                + " set `severity: warn` on the check to let it through.")
        .satisfies(e -> {
          var f = (TaskFailedException) e;
          assertThat(f.retryable()).isFalse();
          assertThat(f.outputs()).containsEntry("failed", 1);
          Map<String, Object> r = results(f.outputs()).getFirst();
          assertThat(r).containsEntry("passed", false).containsEntry("failingRows", 1L);
          assertThat((List<?>) r.get("examples")).hasSize(1);
        });
  }

  @Test
  void unique_failure_shows_every_row_of_the_duplicate_key() {
    assertThatThrownBy(() -> check("- unique: [order_id]"))
        .satisfies(e -> {
          Map<String, Object> r = results(((TaskFailedException) e).outputs()).getFirst();
          assertThat(r).containsEntry("failingRows", 2L);
          assertThat((List<Map<String, Object>>) r.get("examples"))
              .extracting(row -> row.get("customer_id"))
              .containsExactlyInAnyOrder(12L, 13L);
        })
        .hasMessageContaining("  unique(order_id): 2 failing rows, e.g. {order_id=3,");
  }

  @Test
  void row_count_failure_says_what_was_expected() {
    assertThatThrownBy(() -> check("- rowCount: {min: 5}"))
        .hasMessageContaining("  rowCount(min=5): 4 rows, expected at least 5\n");
    assertThatThrownBy(() -> check("- rowCount: {max: 3}"))
        .hasMessageContaining("  rowCount(max=3): 4 rows, expected at most 3\n");
  }

  @Test
  void accepted_values_ignore_nulls_and_report_others() {
    assertThatThrownBy(() -> check("- acceptedValues: {column: status, values: [open, shipped]}"))
        .hasMessageContaining(
            "  acceptedValues(status in [open, shipped]): 1 failing row, e.g. {order_id=3,"
                + " customer_id=12, status=lost, amount=-1.0}");
  }

  @Test
  void expression_fails_rows_where_it_is_false_or_null() {
    assertThatThrownBy(() -> check("- expression: amount > 0 AND customer_id > 0"))
        .hasMessageContaining("  expression(amount > 0 AND customer_id > 0): 2 failing rows");
  }

  @Test
  void several_failures_are_all_listed() {
    assertThatThrownBy(() ->
            check(
                """
                - rowCount: {min: 1}
                - notNull: [customer_id]
                - unique: [order_id]
                """))
        .hasMessageStartingWith("quality.check on dataset 'orders' failed 2 of 3 checks:\n")
        .hasMessageContaining("\n  notNull(customer_id): 1 failing row")
        .hasMessageContaining("\n  unique(order_id): 2 failing rows");
  }

  @Test
  void warn_severity_logs_each_failure_and_succeeds() throws Exception {
    TaskResult result =
        ctx.run(
            "check",
            new QualityCheckTask(),
            """
            dataset: orders
            severity: warn
            checks:
              - notNull: [customer_id]
              - rowCount: {min: 1}
            """);
    assertThat(result.outputs()).containsEntry("failed", 1);
    assertThat(ctx.log())
        .containsExactly(
            "WARN quality check notNull(customer_id) on 'orders' failed: 1 failing row, e.g."
                + " {order_id=2, customer_id=null, status=shipped, amount=7.5}");
  }

  @Test
  void a_check_can_set_its_own_severity() throws Exception {
    TaskResult result =
        check(
            """
            - notNull: [customer_id]
              severity: warn
            - rowCount: {min: 1}
            """);
    assertThat(result.outputs()).containsEntry("failed", 1);
  }

  @Test
  void a_check_on_a_missing_column_names_the_columns() {
    assertThatThrownBy(() -> check("- notNull: [custmer_id]"))
        .hasMessageStartingWith(
            "quality.check checks[0] notNull(custmer_id) could not run: Binder Error: Referenced"
                + " column \"custmer_id\" not found")
        .hasMessageEndingWith(
            "\nColumns of dataset 'orders': order_id BIGINT, customer_id BIGINT, status VARCHAR,"
                + " amount DOUBLE");
  }

  @Test
  void validation_wants_exactly_one_kind_per_check() {
    assertThat(
            TestContext.problems(
                new QualityCheckTask(),
                """
                dataset: orders
                checks:
                  - {notNull: [a], unique: [a]}
                  - {severity: warn}
                  - rowCount: {}
                  - acceptedValues: {column: status}
                """))
        .containsExactly(
            "checks[0] has 2 checks (notNull, unique) in one item; write each as its own list"
                + " item, one of "
                + KINDS,
            "checks[1] names no check; give exactly one of "
                + KINDS
                + ", e.g. `- notNull: [order_id]`",
            "checks[2].rowCount needs min, max or both, e.g. `rowCount: {min: 1}`",
            "checks[3].acceptedValues needs a column and a non-empty list of values, e.g."
                + " `acceptedValues: {column: status, values: [open, shipped]}`");
  }

  @Test
  void an_unknown_check_kind_is_rejected_when_binding() {
    assertThatThrownBy(() ->
            TestContext.problems(
                new QualityCheckTask(), "dataset: orders\nchecks: [{notnull: [a]}]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("notnull");
  }

  @Test
  void the_dataset_is_declared_as_an_input() {
    var task = new QualityCheckTask();
    assertThat(task.datasetInputs(new QualityCheckTask.Config("shape", List.of(), null)))
        .containsExactly("shape");
  }
}
