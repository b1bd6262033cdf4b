package dev.weir.tasks.quality;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.flow.FlowDefinitionException;
import dev.weir.flow.FlowParser;
import dev.weir.task.TaskRegistry;
import org.junit.jupiter.api.Test;

/** Bad check definitions are found before a run, with the file and line of the task. */
class CheckValidationTest {
  private static void parse(String checks) {
    new FlowParser(TaskRegistry.load())
        .parse(
            "flows/orders.yaml",
            """
            id: orders_daily
            tasks:
              - id: orders
                type: sql.transform
                sql: SELECT 1 AS id
              - id: check_orders
                type: quality.check
                dataset: orders
                checks:
            """
                + checks.indent(6));
  }

  @Test
  void every_problem_names_the_file_line_and_check() {
    assertThatThrownBy(() ->
            parse(
                """
                - freshness: {column: updated_at, maxAge: soon}
                - anomaly: {metric: rowCount}
                """))
        .isInstanceOf(FlowDefinitionException.class)
        .hasMessageContaining(
            "flows/orders.yaml:6:5 tasks[1]: checks[0].freshness.maxAge: 'soon' is not a"
                + " duration; write it like 30s, 5m, 2h, 1d or PT5M")
        .hasMessageContaining(
            "flows/orders.yaml:6:5 tasks[1]: checks[1].anomaly needs maxChangePercent,"
                + " maxStdDevs or both");
  }

  @Test
  void relationships_must_refer_to_a_task_that_runs_before() {
    assertThatThrownBy(
            () -> parse("- relationships: {column: customer_id, to: custmers, field: id}"))
        .isInstanceOf(FlowDefinitionException.class)
        .hasMessageContaining(
            "checks[0].relationships.to: reads the dataset of unknown task 'custmers'");
  }

  @Test
  void a_misspelt_property_of_a_check_is_refused() {
    assertThatThrownBy(() -> parse("- range: {column: amount, minimum: 0}"))
        .isInstanceOf(FlowDefinitionException.class)
        .hasMessageContaining("minimum");
  }
}
