package dev.weir.tasks.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.http.TestApi.Reply;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HttpExtractAuthTest extends ApiTestBase {
  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void bearer_token_is_sent_on_every_page() throws Exception {
    api.on("/orders", r -> Reply.json(Orders.page(Integer.parseInt(r.param("page")), 2, 3)));
    extract("url: " + api.url("/orders") + "\nauth: {bearer: tok-123}\npagination: {type: page}");
    assertThat(api.seen())
        .hasSize(3)
        .extracting(s -> s.header("Authorization"))
        .containsOnly("Bearer tok-123");
  }

  @Test
  void basic_auth_sends_username_and_password() throws Exception {
    api.on("/orders", r -> Reply.json(Orders.json(1, 1)));
    extract(
        "url: "
            + api.url("/orders")
            + "\nauth: {basic: {username: reporting, password: 'p@ss:w'}}");
    assertThat(api.seen().getFirst().header("Authorization"))
        .isEqualTo(basic("reporting", "p@ss:w"));
  }

  @Test
  void api_key_in_a_header() throws Exception {
    api.on("/orders", r -> Reply.json(Orders.json(1, 1)));
    extract("url: " + api.url("/orders") + "\nauth: {apiKey: {name: X-API-Key, value: k-1}}");
    assertThat(api.seen().getFirst().header("X-API-Key")).isEqualTo("k-1");
    assertThat(api.seen().getFirst().header("Authorization")).isNull();
  }

  @Test
  void api_key_in_the_query_string_also_on_link_pages() throws Exception {
    api.on(
        "/orders",
        r -> {
          int page = r.param("page") == null ? 1 : Integer.parseInt(r.param("page"));
          Reply reply = Reply.json(Orders.page(page, 2, 5));
          return page < 3
              ? reply.with("Link", "</orders?page=" + (page + 1) + ">; rel=\"next\"")
              : reply;
        });
    TaskResult result =
        extract(
            "url: "
                + api.url("/orders")
                + "\nauth: {apiKey: {in: query, name: api_key, value: 'k 1&2'}}"
                + "\npagination: {type: link}");
    assertThat(result.outputs()).containsEntry("rows", 5L);
    assertThat(api.seen()).hasSize(3).extracting(s -> s.param("api_key")).containsOnly("k 1&2");
  }

  @Test
  void oauth2_client_credentials_fetches_one_token_and_reuses_it() throws Exception {
    api.on(
        "/token",
        r ->
            r.header("Authorization").equals(basic("weir-etl", "s3cret"))
                    && r.body()
                        .equals("grant_type=client_credentials&scope=orders.read+customers.read")
                ? Reply.json(
                    "{\"access_token\": \"at-1\", \"token_type\": \"Bearer\", \"expires_in\": 3600}")
                : Reply.status(401, "{\"error\": \"invalid_client\"}"));
    api.on(
        "/orders",
        r ->
            "Bearer at-1".equals(r.header("Authorization"))
                ? Reply.json(Orders.page(Integer.parseInt(r.param("page")), 2, 5))
                : Reply.status(401, "no"));
    TaskResult result =
        extract(
            "url: "
                + api.url("/orders")
                + "\nauth:\n  oauth2:\n    tokenUrl: "
                + api.url("/token")
                + "\n    clientId: weir-etl\n    clientSecret: s3cret"
                + "\n    scopes: [orders.read, customers.read]"
                + "\npagination: {type: page}");
    assertThat(result.outputs())
        .containsEntry("rows", 5L)
        .containsEntry("pages", 4L)
        .containsEntry("requests", 5L);
    assertThat(api.seen("/token")).hasSize(1);
    assertThat(api.seen("/token").getFirst().header("Content-Type"))
        .isEqualTo("application/x-www-form-urlencoded");
  }

  @Test
  void oauth2_credentials_can_travel_in_the_body() throws Exception {
    api.on(
        "/token",
        r ->
            Reply.json(
                r.body().contains("client_id=id&client_secret=s%2B1")
                    ? "{\"access_token\": \"at\"}"
                    : "{}"));
    api.on("/orders", r -> Reply.json(Orders.json(1, 1)));
    extract(
        "url: "
            + api.url("/orders")
            + "\nauth: {oauth2: {tokenUrl: '"
            + api.url("/token")
            + "', clientId: id, clientSecret: 's+1', clientAuth: body}}");
    assertThat(api.seen("/token").getFirst().header("Authorization")).isNull();
    assertThat(api.seen("/orders").getFirst().header("Authorization")).isEqualTo("Bearer at");
  }

  @Test
  void oauth2_token_is_refreshed_once_when_the_api_answers_401() throws Exception {
    var issued = new AtomicInteger();
    api.on(
        "/token", r -> Reply.json("{\"access_token\": \"at-" + issued.incrementAndGet() + "\"}"));
    api.on(
        "/orders",
        r -> {
          int page = Integer.parseInt(r.param("page"));
          // the first token is revoked after page 1
          boolean valid =
              "Bearer at-2".equals(r.header("Authorization"))
                  || (page == 1 && "Bearer at-1".equals(r.header("Authorization")));
          return valid ? Reply.json(Orders.page(page, 2, 5)) : Reply.status(401, "expired");
        });
    TaskResult result =
        extract(
            "url: "
                + api.url("/orders")
                + "\nauth: {oauth2: {tokenUrl: '"
                + api.url("/token")
                + "', clientId: id, clientSecret: secret}}\npagination: {type: page}");
    assertThat(result.outputs()).containsEntry("rows", 5L).containsEntry("retries", 0L);
    assertThat(api.seen("/token")).hasSize(2);
    assertThat(ctx.log())
        .contains("INFO http.extract: page 2 got 401; fetching a new OAuth2 token");
  }

  @Test
  void a_second_401_after_a_fresh_token_fails_for_good() {
    api.on("/token", r -> Reply.json("{\"access_token\": \"tok-abc\"}"));
    api.on("/orders", r -> Reply.status(401, "{\"error\": \"token tok-abc not allowed\"}"));
    assertThatThrownBy(() ->
            extract(
                "url: "
                    + api.url("/orders")
                    + "\nauth: {oauth2: {tokenUrl: '"
                    + api.url("/token")
                    + "', clientId: id, clientSecret: secret}}"))
        .isInstanceOf(TaskFailedException.class)
        .matches(e -> !((TaskFailedException) e).retryable())
        .hasMessage(
            "http.extract: page 1 (GET "
                + api.url("/orders")
                + ") answered 401: {\"error\": \"token ****** not allowed\"}; check the credentials"
                + " in auth and what they may access");
    assertThat(api.seen("/token")).hasSize(2);
  }

  @Test
  void a_rejected_token_request_names_the_token_endpoint() {
    api.on("/token", r -> Reply.status(400, "{\"error\": \"invalid_scope\"}"));
    assertThatThrownBy(() ->
            extract(
                "url: "
                    + api.url("/orders")
                    + "\nauth: {oauth2: {tokenUrl: '"
                    + api.url("/token")
                    + "', clientId: id, clientSecret: secret, scopes: [nope]}}"))
        .hasMessage(
            "http.extract: the OAuth2 token request (POST "
                + api.url("/token")
                + ") answered 400: {\"error\": \"invalid_scope\"}");
    assertThat(api.seen("/orders")).isEmpty();
  }

  @Test
  void a_token_response_without_access_token_lists_its_keys() {
    api.on("/token", r -> Reply.json("{\"token\": \"x\", \"expires\": 5}"));
    assertThatThrownBy(() ->
            extract(
                "url: "
                    + api.url("/orders")
                    + "\nauth: {oauth2: {tokenUrl: '"
                    + api.url("/token")
                    + "', clientId: id, clientSecret: secret}}"))
        .hasMessageContaining("holds no access_token (its keys: token, expires)");
  }
}
