package dev.weir.tasks.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.flow.FlowDefinitionException;
import dev.weir.flow.FlowParser;
import dev.weir.task.TaskRegistry;
import dev.weir.tasks.TestContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpExtractConfigTest {
  private static final String URL = "url: https://api.example.com/orders\n";

  private static List<String> problems(String yaml) {
    return TestContext.problems(new HttpExtractTask(), yaml);
  }

  private static void parseFlow(String task) {
    new FlowParser(TaskRegistry.load())
        .parse(
            "flow.yaml",
            """
            id: f
            inputs:
              - id: api
                type: string
                default: https://api.example.com
            tasks:
              - id: orders
                type: http.extract
            """
                + task.indent(4));
  }

  @Test
  void a_plain_config_has_no_problems() {
    assertThat(
            problems(
                URL
                    + "auth: {bearer: t}\nrecords: /data/items\n"
                    + "pagination: {type: cursor, cursorParam: after, nextCursor: /meta/next}\n"
                    + "rateLimit: 2.5\nschema: {id: BIGINT, amount: 'DECIMAL(10,2)'}"))
        .isEmpty();
  }

  @Test
  void templates_are_checked_only_once_rendered() {
    parseFlow(
        """
        url: "{{ inputs.api }}/orders"
        auth: {bearer: "{{ secret('SHOP_TOKEN') }}"}
        records: "{{ inputs.api }}"
        pagination: {type: cursor, cursorParam: after, nextCursor: /meta/next}
        """);
  }

  @Test
  void an_unknown_pagination_type_lists_the_known_ones() {
    assertThatThrownBy(() -> parseFlow("url: https://x.example\npagination: {type: cursr}"))
        .isInstanceOf(FlowDefinitionException.class)
        .hasMessageEndingWith(
            "tasks[0].pagination.type: pagination.type 'cursr' is not one of page, offset,"
                + " cursor, link, e.g. `type: cursor`; did you mean 'cursor'?");
    assertThatThrownBy(() ->
            parseFlow("url: https://x.example\nauth: {apiKey: {in: cookie, name: a, value: b}}"))
        .hasMessageContaining("auth.apiKey.in 'cookie' is not one of header, query");
  }

  @Test
  void a_url_must_be_absolute_http() {
    assertThat(problems("url: api.example.com/orders"))
        .containsExactly(
            "url 'api.example.com/orders' is not a usable URL: it must start with http:// or"
                + " https://; e.g. `url: https://api.example.com/v1/orders`");
    assertThat(problems("url: 'https://user:pw@exa mple.com'"))
        .singleElement()
        .asString()
        .startsWith("url 'https://exa mple.com' is not a usable URL: Illegal character");
  }

  @Test
  void a_bad_json_pointer_is_explained() {
    assertThat(problems(URL + "records: data/items"))
        .containsExactly(
            "records 'data/items' is not a JSON pointer: it must be empty or start with '/', one"
                + " '/' per level (write ~1 for a '/' and ~0 for a '~' inside a name); e.g."
                + " `records: /data/items`");
    assertThat(problems(URL + "pagination: {type: cursor, nextCursor: 'meta.next'}"))
        .singleElement()
        .asString()
        .startsWith("pagination.nextCursor 'meta.next' is not a JSON pointer");
  }

  @Test
  void keys_of_another_pagination_type_are_refused() {
    assertThat(problems(URL + "pagination: {type: page, cursorParam: after, limit: 10}"))
        .containsExactly(
            "pagination.limit does not apply to pagination type page (its keys: pageParam,"
                + " sizeParam, pageSize, startPage); remove it or change the type",
            "pagination.cursorParam does not apply to pagination type page (its keys: pageParam,"
                + " sizeParam, pageSize, startPage); remove it or change the type");
    assertThat(problems(URL + "pagination: {type: link, pageSize: 5}"))
        .containsExactly(
            "pagination.pageSize does not apply to pagination type link, which takes no other"
                + " keys; remove it or change the type");
  }

  @Test
  void cursor_pagination_needs_next_cursor_and_any_pagination_a_type() {
    assertThat(problems(URL + "pagination: {type: cursor}"))
        .containsExactly(
            "pagination type cursor needs nextCursor, the JSON pointer to the next cursor in each"
                + " response; e.g. `nextCursor: /meta/next`");
    assertThat(problems(URL + "pagination: {pageSize: 5}"))
        .singleElement()
        .asString()
        .startsWith("pagination has no type; give one of page, offset, cursor, link");
  }

  @Test
  void one_kind_of_auth_at_a_time() {
    assertThat(problems(URL + "auth: {bearer: t, apiKey: {name: k, value: v}}"))
        .containsExactly(
            "auth gives bearer and apiKey; a task authenticates one way, keep one of them");
    assertThat(problems(URL + "auth: {}"))
        .singleElement()
        .asString()
        .startsWith("auth names no kind");
  }

  @Test
  void auth_kinds_name_their_missing_parts() {
    assertThat(problems(URL + "auth: {apiKey: {in: query}}"))
        .containsExactly(
            "auth.apiKey.name is missing; add it, e.g. `name: api_key`",
            "auth.apiKey.value is missing; add it, e.g. `value: \"{{ secret('API_KEY') }}\"`");
    assertThat(problems(URL + "auth: {oauth2: {clientId: c, scopes: ['a b']}}"))
        .containsExactly(
            "auth.oauth2.tokenUrl is missing; add it, e.g. `tokenUrl:"
                + " https://auth.example.com/oauth/token`",
            "auth.oauth2.clientSecret is missing; add it, e.g. `clientSecret: \"{{"
                + " secret('CLIENT_SECRET') }}\"`",
            "auth.oauth2.scopes holds 'a b'; each scope is one word without spaces, e.g. `scopes:"
                + " [orders.read, customers.read]`");
    assertThat(problems(URL + "auth: {basic: {username: u}}"))
        .singleElement()
        .asString()
        .startsWith("auth.basic.password is missing");
  }

  @Test
  void settings_that_clash_are_named_both() {
    assertThat(problems(URL + "headers: {Authorization: x}\nauth: {bearer: t}"))
        .containsExactly(
            "both headers.Authorization and auth.bearer set the Authorization header; keep one of"
                + " them");
    assertThat(problems(URL + "query: {page: 2}\npagination: {type: page}"))
        .containsExactly(
            "query parameter 'page' is set by the page pagination on every request; remove it from"
                + " query (use `startPage` to begin later)");
    assertThat(problems(URL + "query: {key: 1}\nauth: {apiKey: {in: query, name: key, value: v}}"))
        .containsExactly(
            "both query.key and auth.apiKey set the query parameter 'key'; keep one of them");
    assertThat(problems(URL + "body: {a: 1}"))
        .containsExactly(
            "body is given but the method is GET, which sends no body; set `method: POST` (or PUT,"
                + " PATCH)");
  }

  @Test
  void headers_the_client_sets_itself_are_refused() {
    assertThat(problems(URL + "headers: {X-A: \"a\\r\\nX-Injected: b\"}"))
        .containsExactly(
            "header 'X-A' has a line break in its value; HTTP header values are one line");
    assertThat(problems(URL + "headers: {Host: x, 'Bad Name': y}"))
        .containsExactly(
            "header 'Host' is set by the HTTP client itself and cannot be given; remove it from"
                + " headers",
            "header name 'Bad Name' is not a valid HTTP header name; e.g. `X-Request-Source`");
  }

  @Test
  void limits_must_be_positive() {
    assertThat(
            problems(
                URL
                    + "maxPages: 0\nrateLimit: 0\nrequestTimeout: 0s\nmaxRetries: -1\n"
                    + "pagination: {type: offset, limit: 0}"))
        .containsExactly(
            "pagination.limit 0 must be at least 1; e.g. `limit: 100`",
            "maxPages 0 must be at least 1; e.g. `maxPages: 100`",
            "maxRetries -1 is out of range; use 0 to 100, e.g. `maxRetries: 5`",
            "rateLimit 0.0 is not a positive number of requests per second; e.g. `rateLimit: 5` or"
                + " `rateLimit: 0.5` for one request every 2 seconds",
            "requestTimeout PT0S must be longer than zero; e.g. `requestTimeout: 30s`");
  }

  @Test
  void schema_types_must_be_duckdb_type_names() {
    assertThat(problems(URL + "schema: {id: 'BIGINT; DROP TABLE x', amount: DECIMAL(10,2)}"))
        .containsExactly(
            "schema column 'id' has type 'BIGINT; DROP TABLE x', which is not a DuckDB type name;"
                + " use e.g. BIGINT, DOUBLE, DECIMAL(10,2), VARCHAR, DATE, TIMESTAMP, BOOLEAN or"
                + " JSON",
            "schema column 'amount' has type 'DECIMAL(10': inside {...} YAML splits at the comma;"
                + " quote the type, e.g. `amount: 'DECIMAL(10,2)'`, or write the schema one column"
                + " per line");
  }

  @Test
  void the_task_refuses_to_run_a_config_that_rendered_badly() {
    var ctx = new TestContext(java.nio.file.Path.of("."));
    // a template can render into a bad value after validation; run checks again
    assertThatThrownBy(() ->
            ctx.run(
                "orders",
                new HttpExtractTask(),
                dev.weir.flow.ConfigBinder.MAPPER.createObjectNode().put("url", "not a url")))
        .hasMessageStartingWith("url 'not a url' is not a usable URL");
  }
}
