package dev.weir.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.WeirException;
import dev.weir.store.DeadLetterRecord;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayFlowTest {
  private static final String FLOW =
      """
      id: orders
      namespace: shop
      variables: {table: analytics.orders}
      triggers:
        - {id: daily, type: schedule, cron: "0 5 * * *"}
      tasks:
        - {id: shape, type: sql.transform, sql: SELECT 1 AS id}
        - id: load
          type: jdbc.load
          dataset: shape
          table: "{{ vars.table }}"
          deadLetter: dead/
      onFailure:
        - {id: page, type: log, message: failed}
      """;

  private static DeadLetterRecord batch(String task, String type) {
    return new DeadLetterRecord(
        "b1",
        "shop",
        "orders",
        "r1",
        task,
        1,
        type,
        "/x.jsonl",
        1,
        1,
        "bad",
        Instant.EPOCH,
        null,
        null,
        null);
  }

  @Test
  void keeps_the_task_and_the_flows_variables_reading_the_letters_as_its_dataset() {
    String yaml =
        ReplayFlow.build(FLOW, batch("load", "jdbc.load"), Path.of("/tmp/r.jsonl"), Path.of("/h"));
    assertThat(yaml)
        .contains("variables:")
        .contains("- id: shape\n  type: file.read\n  path: /tmp/r.jsonl\n  format: json")
        .contains("table: \"{{ vars.table }}\"")
        .contains("dependsOn:\n  - shape")
        .contains("deadLetter:\n    path: dead/\n    maxRejected: 100%")
        .doesNotContain("triggers")
        .doesNotContain("onFailure")
        .doesNotContain("sql.transform");
  }

  @Test
  void refuses_a_task_that_is_gone_or_changed_type_or_ran_in_a_forEach() {
    assertThatThrownBy(
            () -> ReplayFlow.build(FLOW, batch("lod", "jdbc.load"), Path.of("r"), Path.of("h")))
        .isInstanceOf(WeirException.class)
        .hasMessage(
            "flow shop.orders has no task 'lod' now; the letters replay through the task that set"
                + " them aside");
    assertThatThrownBy(
            () -> ReplayFlow.build(FLOW, batch("load", "file.read"), Path.of("r"), Path.of("h")))
        .hasMessageContaining("is a jdbc.load now, not the file.read that set the letters aside");
    assertThatThrownBy(() ->
            ReplayFlow.build(
                FLOW, batch("per_day[1]/load", "jdbc.load"), Path.of("r"), Path.of("h")))
        .hasMessageContaining("ran inside a forEach");
  }

  @Test
  void says_what_to_do_for_types_that_cannot_replay() {
    assertThat(ReplayFlow.cannotReplay("jdbc.load", "r1")).isNull();
    assertThat(ReplayFlow.cannotReplay("http.extract", "r1"))
        .startsWith("http.extract letters are records the API sent")
        .endsWith("`weir retry r1` (or `weir run` the flow) once the source is fixed");
    assertThat(ReplayFlow.cannotReplay("cdc.postgres", "r1"))
        .startsWith("cdc.postgres letters are changes of a stream")
        .contains("update the source rows");
  }
}
