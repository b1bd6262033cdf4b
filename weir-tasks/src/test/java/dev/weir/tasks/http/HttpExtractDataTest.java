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
class HttpExtractDataTest extends ApiTestBase {
  private static final String NESTED =
      """
      {"data": [
        {"id": 1, "customer": {"id": 7, "address": {"country": "DE"}}, "tags": ["a", "b"],
         "amount": 12.10, "ordered": "2024-03-01"},
        {"id": 2, "customer": {"id": 8, "address": null}, "tags": [], "amount": 3,
         "ordered": "2024-03-02", "note": "late field"}
      ]}
      """;

  @Test
  void nested_objects_become_columns_joined_with_underscores_and_lists_stay_json_text()
      throws Exception {
    api.on("/orders", r -> Reply.json(NESTED));
    Dataset d = extract("url: " + api.url("/orders") + "\nrecords: /data").dataset();
    assertThat(d.schema())
        .extracting(Dataset.Column::name)
        .containsExactly(
            "id",
            "customer_id",
            "customer_address_country",
            "tags",
            "amount",
            "ordered",
            "customer_address",
            "note");
    assertThat(
            Orders.rows(
                d,
                "SELECT id, customer_id, customer_address_country, tags, note FROM t ORDER BY id"))
        .containsExactly("1|7|DE|[\"a\",\"b\"]|null", "2|8|null|[]|late field");
    assertThat(d.rowCount()).isEqualTo(2);
  }

  @Test
  void a_declared_schema_types_and_selects_the_columns() throws Exception {
    api.on("/orders", r -> Reply.json(NESTED));
    Dataset d =
        extract(
                "url: "
                    + api.url("/orders")
                    + "\nrecords: /data\nschema:\n  id: INTEGER\n  customer_id: BIGINT\n"
                    + "  amount: DECIMAL(10,2)\n  ordered: DATE\n  tags: JSON\n  missing: VARCHAR")
            .dataset();
    assertThat(d.schema())
        .containsExactly(
            new Dataset.Column("id", "INTEGER"),
            new Dataset.Column("customer_id", "BIGINT"),
            new Dataset.Column("amount", "DECIMAL(10,2)"),
            new Dataset.Column("ordered", "DATE"),
            new Dataset.Column("tags", "JSON"),
            new Dataset.Column("missing", "VARCHAR"));
    assertThat(Orders.rows(d, "SELECT id, amount, ordered, missing FROM t ORDER BY id"))
        .containsExactly("1|12.10|2024-03-01|null", "2|3.00|2024-03-02|null");
  }

  @Test
  void records_that_are_not_objects_become_a_value_column() throws Exception {
    api.on("/ids", r -> Reply.json("[3, 1, 2]"));
    Dataset d = extract("url: " + api.url("/ids")).dataset();
    assertThat(Orders.rows(d, "SELECT value FROM t ORDER BY value")).containsExactly("1", "2", "3");
  }

  @Test
  void an_empty_result_with_a_schema_is_an_empty_dataset() throws Exception {
    api.on("/orders", r -> Reply.json("{\"data\": []}"));
    TaskResult result =
        extract(
            "url: " + api.url("/orders") + "\nrecords: /data\nschema: {id: BIGINT, name: VARCHAR}");
    assertThat(result.dataset().rowCount()).isZero();
    assertThat(result.dataset().schema())
        .containsExactly(new Dataset.Column("id", "BIGINT"), new Dataset.Column("name", "VARCHAR"));
    assertThat(result.outputs()).containsEntry("rows", 0L).containsEntry("pages", 1L);
  }

  @Test
  void an_empty_result_without_a_schema_fails_and_says_to_declare_one() {
    api.on("/orders", r -> Reply.json("{\"data\": null}"));
    assertThatThrownBy(() -> extract("url: " + api.url("/orders") + "\nrecords: /data"))
        .isInstanceOf(TaskFailedException.class)
        .matches(e -> !((TaskFailedException) e).retryable())
        .hasMessage(
            "http.extract got no records from "
                + api.url("/orders")
                + " (1 page(s)); without a schema an empty result has no columns to stage."
                + " Declare the columns to accept an empty result as an empty dataset, e.g."
                + " `schema: {id: BIGINT, name: VARCHAR}`, or check `records` (/data)");
  }

  @Test
  void a_204_no_content_is_an_empty_page() throws Exception {
    api.on("/orders", r -> Reply.status(204, ""));
    assertThat(extract("url: " + api.url("/orders") + "\nschema: {id: BIGINT}").outputs())
        .containsEntry("rows", 0L);
  }

  @Test
  void an_object_where_records_should_be_names_the_lists_it_holds() {
    api.on("/orders", r -> Reply.json("{\"meta\": {}, \"items\": [], \"links\": []}"));
    assertThatThrownBy(() -> extract("url: " + api.url("/orders")))
        .hasMessage(
            "http.extract: in page 1 from "
                + api.url("/orders")
                + ", the body is an object, not a list of records; set `records` to the JSON"
                + " pointer of the list of records, e.g. `records: /items` (lists here: /items,"
                + " /links)");
  }

  @Test
  void malformed_json_names_the_page_and_the_redacted_url() {
    api.on(
        "/orders",
        r ->
            r.param("page").equals("1")
                ? Reply.json(Orders.json(1, 2))
                : Reply.json("<html><body>Gateway</body></html>"));
    assertThatThrownBy(() ->
            extract(
                "url: "
                    + api.url("/orders")
                    + "\nauth: {apiKey: {in: query, name: key, value: hush-hush}}"
                    + "\npagination: {type: page}"))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageStartingWith(
            "http.extract: page 2 from "
                + api.url("/orders?page=2&key=******")
                + " is not valid JSON (Unexpected character ('<' (code 60))")
        .hasMessageEndingWith(
            "at line 1, column 1); the body starts: <html><body>Gateway</body></html>")
        .hasMessageNotContaining("hush-hush");
  }

  @Test
  void values_that_do_not_fit_the_schema_fail_with_duckdbs_message() {
    api.on("/orders", r -> Reply.json("[{\"id\": \"abc\"}]"));
    assertThatThrownBy(() -> extract("url: " + api.url("/orders") + "\nschema: {id: BIGINT}"))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageStartingWith(
            "http.extract could not stage the 1 records as the declared schema: ")
        .hasMessageContaining("abc")
        .hasMessageEndingWith("; fix the column types in schema");
  }

  @Test
  void many_pages_are_streamed_to_disk_not_held_in_memory() throws Exception {
    api.on("/orders", r -> Reply.json(Orders.page(Integer.parseInt(r.param("page")), 500, 5_000)));
    TaskResult result =
        extract("url: " + api.url("/orders") + "\npagination: {type: page, pageSize: 500}");
    assertThat(result.outputs()).containsEntry("rows", 5_000L).containsEntry("pages", 11L);
    assertThat(Orders.rows(result.dataset(), "SELECT count(DISTINCT id), max(id) FROM t"))
        .containsExactly("5000|5000");
  }
}
