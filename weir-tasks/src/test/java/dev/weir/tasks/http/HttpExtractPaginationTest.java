package dev.weir.tasks.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.http.TestApi.Reply;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HttpExtractPaginationTest extends ApiTestBase {
  private static final List<Long> SEVEN = LongStream.rangeClosed(1, 7).boxed().toList();

  @Test
  void without_pagination_reads_one_response_whose_body_is_the_array() throws Exception {
    api.on("/orders", r -> Reply.json(Orders.json(1, 3)));
    TaskResult result = extract("url: " + api.url("/orders"));
    assertThat(Orders.ids(result.dataset())).containsExactly(1L, 2L, 3L);
    assertThat(result.outputs())
        .containsEntry("rows", 3L)
        .containsEntry("pages", 1L)
        .containsEntry("requests", 1L)
        .containsEntry("retries", 0L);
    assertThat(api.seen().getFirst().header("Accept")).isEqualTo("application/json");
  }

  @Test
  void page_numbers_count_from_startPage_until_an_empty_page() throws Exception {
    api.on(
        "/orders",
        r ->
            Reply.json(
                Orders.page(Integer.parseInt(r.param("p")), Integer.parseInt(r.param("n")), 7)));
    TaskResult result =
        extract(
            "url: "
                + api.url("/orders")
                + "\nquery: {status: open}"
                + "\npagination: {type: page, pageParam: p, sizeParam: n, pageSize: 3}");
    assertThat(Orders.ids(result.dataset())).isEqualTo(SEVEN);
    assertThat(result.outputs()).containsEntry("pages", 4L).containsEntry("requests", 4L);
    assertThat(api.seen())
        .extracting(s -> s.uri().getQuery())
        .containsExactly(
            "status=open&p=1&n=3",
            "status=open&p=2&n=3",
            "status=open&p=3&n=3",
            "status=open&p=4&n=3");
  }

  @Test
  void page_numbers_can_start_at_zero() throws Exception {
    api.on("/orders", r -> Reply.json(Orders.page(Integer.parseInt(r.param("page")) + 1, 2, 5)));
    TaskResult result =
        extract(
            "url: " + api.url("/orders") + "\npagination: {type: page, startPage: 0, pageSize: 2}");
    assertThat(Orders.ids(result.dataset())).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(api.seen()).extracting(s -> s.param("page")).containsExactly("0", "1", "2", "3");
    assertThat(api.seen()).extracting(s -> s.param("per_page")).containsOnly("2");
  }

  @Test
  void offset_advances_by_the_records_received_not_the_limit_asked() throws Exception {
    // the server caps the limit at 3, as many APIs do
    api.on(
        "/orders",
        r -> {
          int offset = Integer.parseInt(r.param("skip"));
          int limit = Math.min(3, Integer.parseInt(r.param("take")));
          return Reply.json(
              offset >= 7 ? "[]" : Orders.json(offset + 1, Math.min(7, offset + limit)));
        });
    TaskResult result =
        extract(
            "url: "
                + api.url("/orders")
                + "\npagination: {type: offset, offsetParam: skip, limitParam: take, limit: 50}");
    assertThat(Orders.ids(result.dataset())).isEqualTo(SEVEN);
    assertThat(api.seen()).extracting(s -> s.param("skip")).containsExactly("0", "3", "6", "7");
    assertThat(result.outputs()).containsEntry("pages", 4L);
  }

  @Test
  void cursor_is_read_from_the_body_and_sent_until_it_is_null() throws Exception {
    api.on(
        "/orders",
        r -> {
          String after = r.param("after");
          return switch (after == null ? "" : after) {
            case "" ->
                Reply.json("{\"data\": " + Orders.json(1, 3) + ", \"meta\": {\"next\": \"c2\"}}");
            case "c2" ->
                Reply.json("{\"data\": " + Orders.json(4, 6) + ", \"meta\": {\"next\": \"c3\"}}");
            case "c3" ->
                Reply.json("{\"data\": " + Orders.json(7, 7) + ", \"meta\": {\"next\": null}}");
            default -> Reply.status(400, "bad cursor");
          };
        });
    TaskResult result =
        extract(
            "url: "
                + api.url("/orders")
                + "\nrecords: /data"
                + "\npagination: {type: cursor, cursorParam: after, nextCursor: /meta/next}");
    assertThat(Orders.ids(result.dataset())).isEqualTo(SEVEN);
    assertThat(api.seen()).extracting(s -> s.param("after")).containsExactly(null, "c2", "c3");
    assertThat(result.outputs()).containsEntry("pages", 3L).containsEntry("requests", 3L);
  }

  @Test
  void cursor_stops_when_absent_or_empty() throws Exception {
    api.on(
        "/orders",
        r ->
            r.param("cursor") == null
                ? Reply.json("{\"items\": " + Orders.json(1, 2) + ", \"next\": \"x\"}")
                : Reply.json("{\"items\": " + Orders.json(3, 3) + ", \"next\": \"\"}"));
    TaskResult result =
        extract(
            "url: "
                + api.url("/orders")
                + "\nrecords: /items\npagination: {type: cursor, nextCursor: /next}");
    assertThat(Orders.ids(result.dataset())).containsExactly(1L, 2L, 3L);
    assertThat(result.outputs()).containsEntry("pages", 2L);
  }

  @Test
  void a_cursor_repeated_fails_instead_of_looping() {
    api.on("/orders", r -> Reply.json("{\"items\": [{\"id\": 1}], \"next\": \"same\"}"));
    assertThatThrownBy(() ->
            extract(
                "url: "
                    + api.url("/orders")
                    + "\nrecords: /items\npagination: {type: cursor, nextCursor: /next}"))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("returned the same cursor twice in a row");
    assertThat(api.seen()).hasSize(2);
  }

  @Test
  void link_header_rel_next_is_followed_relative_to_the_page() throws Exception {
    api.on(
        "/orders",
        r -> {
          int page = r.param("page") == null ? 1 : Integer.parseInt(r.param("page"));
          Reply reply = Reply.json(Orders.page(page, 3, 7));
          if (page == 1) {
            // absolute target, several links in one header, rel with several values
            return reply.with(
                "Link",
                "<"
                    + api.url("/orders?page=3")
                    + ">; rel=\"last\", <"
                    + api.url("/orders?page=2")
                    + ">; rel=\"next nofollow\"");
          }
          return page == 2 ? reply.with("Link", "</orders?page=3>; rel=next") : reply;
        });
    TaskResult result =
        extract("url: " + api.url("/orders") + "\nquery: {sort: id}\npagination: {type: link}");
    assertThat(Orders.ids(result.dataset())).isEqualTo(SEVEN);
    assertThat(api.seen())
        .extracting(s -> s.uri().getQuery())
        .containsExactly("sort=id", "page=2", "page=3");
    assertThat(result.outputs()).containsEntry("pages", 3L);
  }

  @Test
  void an_empty_page_ends_cursor_and_link_pagination_too() throws Exception {
    api.on(
        "/orders",
        r ->
            Reply.json("{\"data\": [], \"next\": \"more\"}")
                .with("Link", "</orders?x=1>; rel=next"));
    assertThatThrownBy(() ->
            extract(
                "url: "
                    + api.url("/orders")
                    + "\nrecords: /data\npagination: {type: cursor, nextCursor: /next}"))
        .hasMessageContaining("got no records");
    assertThat(api.seen()).hasSize(1);
  }

  @Test
  void maxPages_fails_rather_than_silently_truncating() {
    api.on("/orders", r -> Reply.json(Orders.json(1, 2)));
    assertThatThrownBy(
            () -> extract("url: " + api.url("/orders") + "\npagination: {type: page}\nmaxPages: 3"))
        .isInstanceOf(TaskFailedException.class)
        .matches(e -> !((TaskFailedException) e).retryable())
        .hasMessageStartingWith(
            "http.extract stopped at maxPages 3 with more to fetch (next: "
                + api.url("/orders?page=4")
                + ") after 6 records; raise maxPages");
    assertThat(api.seen()).hasSize(3);
  }

  @Test
  void post_sends_a_json_body_on_every_page() throws Exception {
    api.on("/search", r -> Reply.json(Orders.page(Integer.parseInt(r.param("page")), 2, 3)));
    extract(
        "url: "
            + api.url("/search")
            + "\nmethod: POST\nbody: {status: [open, shipped], since: '2024-01-01'}"
            + "\nheaders: {X-Source: weir}\npagination: {type: page}");
    assertThat(api.seen())
        .hasSize(3)
        .allSatisfy(s -> {
          assertThat(s.method()).isEqualTo("POST");
          assertThat(s.body())
              .isEqualTo("{\"status\":[\"open\",\"shipped\"],\"since\":\"2024-01-01\"}");
          assertThat(s.header("Content-Type")).isEqualTo("application/json");
          assertThat(s.header("X-Source")).isEqualTo("weir");
        });
  }

  @Test
  void a_text_body_is_sent_as_written_with_the_given_content_type() throws Exception {
    api.on("/search", r -> Reply.json("[{\"id\": 1}]"));
    extract(
        "url: "
            + api.url("/search")
            + "\nmethod: POST\nbody: 'status=open&limit=5'"
            + "\nheaders: {Content-Type: application/x-www-form-urlencoded}");
    assertThat(api.seen().getFirst().body()).isEqualTo("status=open&limit=5");
    assertThat(api.seen().getFirst().header("Content-Type"))
        .isEqualTo("application/x-www-form-urlencoded");
  }
}
