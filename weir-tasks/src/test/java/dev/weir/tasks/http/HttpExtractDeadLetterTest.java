package dev.weir.tasks.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.Dataset;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.http.TestApi.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HttpExtractDeadLetterTest extends ApiTestBase {
  private static final String MIXED =
      """
      {"data": [
        {"id": 1, "amount": 12.10, "ordered": "2024-03-01"},
        {"id": "two", "amount": 3, "ordered": "2024-03-02"},
        "not an object",
        {"id": 4, "amount": "lots", "ordered": "yesterday"},
        {"id": 5, "amount": 1, "ordered": "2024-03-05"}
      ]}
      """;

  private String yaml() {
    return "url: "
        + api.url("/orders")
        + "\nrecords: /data\nschema:\n  id: INTEGER\n  amount: DECIMAL(10,2)\n  ordered: DATE";
  }

  @Test
  void records_that_do_not_fit_the_schema_are_set_aside_and_the_rest_staged() throws Exception {
    api.on("/orders", r -> Reply.json(MIXED));
    ctx.deadLetter("dead/", "60%");
    TaskResult r = extract(yaml());
    Dataset d = r.dataset();
    assertThat(d.rowCount()).isEqualTo(2);
    assertThat(Orders.rows(d, "SELECT id, amount FROM t ORDER BY id"))
        .containsExactly("1|12.10", "5|1.00");
    assertThat(r.outputs()).containsEntry("rejected", 3L);
    assertThat(ctx.letters("orders"))
        .satisfiesExactly(
            l ->
                assertThat(l)
                    .contains("\"record\":\"not an object\"")
                    .contains("record 3 is a string, not an object with the schema's columns"),
            l ->
                assertThat(l)
                    .contains("\"record\":{\"id\":\"two\"")
                    .contains("\"reason\":\"record 2: id 'two' is not INTEGER\""),
            l ->
                assertThat(l)
                    .contains(
                        "record 4: amount 'lots' is not DECIMAL(10,2), ordered 'yesterday' is not"
                            + " DATE"));
  }

  @Test
  void more_misfits_than_maxRejected_fail_the_task() {
    api.on("/orders", r -> Reply.json(MIXED));
    ctx.deadLetter("dead/", "1");
    assertThatThrownBy(() -> extract(yaml()))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageStartingWith(
            "task orders set aside 3 of 5 records (60%), more than maxRejected 1; see ");
  }

  @Test
  void without_deadLetter_a_misfit_fails_the_task_as_before() {
    api.on("/orders", r -> Reply.json(MIXED));
    assertThatThrownBy(() -> extract(yaml()))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("could not stage the 5 records as the declared schema");
  }
}
