package dev.weir.tasks.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.http.TestApi.Reply;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A canary secret goes in through each kind of credential, the server echoes it back wherever it
 * can, and it must show up in no log line, error or output. The test context does not mask, so only
 * the task's own redaction stands between the secret and the text.
 */
@Timeout(30)
class HttpExtractSecretsTest extends ApiTestBase {
  private static final String CANARY = "CANARY-s3cr3t+/=&x";
  private static final String ENCODED = URLEncoder.encode(CANARY, StandardCharsets.UTF_8);

  /** Runs the task and returns every text it produced: log lines, the error, the outputs. */
  private List<String> everything(String yaml) {
    var texts = new ArrayList<String>();
    try {
      TaskResult result = extract(yaml);
      texts.add(result.outputs().toString());
    } catch (TaskFailedException e) {
      texts.add(e.getMessage());
      texts.add(e.outputs().toString());
    } catch (Exception e) {
      texts.add(e.toString());
    }
    texts.addAll(ctx.log());
    return texts;
  }

  private void assertNoCanary(List<String> texts) {
    assertThat(texts).isNotEmpty();
    assertThat(String.join("\n", texts))
        .doesNotContain(CANARY)
        .doesNotContain(ENCODED)
        .doesNotContain("CANARY");
  }

  private String everythingEcho(String seen) {
    return "{\"error\": \"bad credentials: " + seen.replace("\"", "") + "\"}";
  }

  @Test
  void api_key_in_the_query_never_shows_even_when_the_server_echoes_it() {
    api.on(
        "/orders",
        r -> {
          String page = r.param("page") == null ? "1" : r.param("page");
          return switch (page) {
            case "1" ->
                Reply.json(Orders.json(1, 2))
                    .with(
                        "Link",
                        "<" + api.url("/orders") + "?page=2&api_key=" + ENCODED + ">; rel=next");
            case "2" ->
                api.seen("/orders").size() == 2 // the first try of page 2
                    ? Reply.status(500, "oops for key " + r.param("api_key"))
                    : Reply.status(
                        400, everythingEcho(r.uri().toString() + " " + r.param("api_key")));
            default -> Reply.status(404, "");
          };
        });
    List<String> texts =
        everything(
            "url: "
                + api.url("/orders")
                + "\nauth: {apiKey: {in: query, name: api_key, value: '"
                + CANARY
                + "'}}\nretryDelay: 10ms\npagination: {type: link}");
    assertThat(api.seen()).extracting(s -> s.param("api_key")).containsOnly(CANARY);
    assertThat(String.join("\n", texts)).contains("api_key=******", "answered 400", "answered 500");
    assertNoCanary(texts);
  }

  @Test
  void bearer_token_echoed_in_an_error_body_is_masked() {
    api.on("/orders", r -> Reply.status(403, everythingEcho(r.header("Authorization"))));
    List<String> texts =
        everything("url: " + api.url("/orders") + "\nauth: {bearer: '" + CANARY + "'}");
    assertThat(texts.getFirst()).contains("answered 403", "Bearer ******");
    assertNoCanary(texts);
  }

  @Test
  void basic_password_echoed_in_a_retried_error_is_masked() {
    api.on("/orders", r -> Reply.status(503, "password " + CANARY + " is wrong"));
    List<String> texts =
        everything(
            "url: "
                + api.url("/orders")
                + "\nmaxRetries: 1\nretryDelay: 10ms"
                + "\nauth: {basic: {username: u, password: '"
                + CANARY
                + "'}}");
    assertNoCanary(texts);
  }

  @Test
  void oauth2_client_secret_and_fetched_token_are_masked() {
    api.on("/token", r -> Reply.json("{\"access_token\": \"" + CANARY + "-token\"}"));
    api.on("/orders", r -> Reply.status(403, everythingEcho(r.header("Authorization"))));
    List<String> texts =
        everything(
            "url: "
                + api.url("/orders")
                + "\nauth: {oauth2: {tokenUrl: '"
                + api.url("/token")
                + "', clientId: id, clientSecret: '"
                + CANARY
                + "'}}");
    assertThat(texts.getFirst()).contains("answered 403");
    assertNoCanary(texts);
  }

  @Test
  void oauth2_client_secret_echoed_by_the_token_endpoint_is_masked() {
    api.on("/token", r -> Reply.status(401, "client secret was " + r.body()));
    List<String> texts =
        everything(
            "url: "
                + api.url("/orders")
                + "\nauth: {oauth2: {tokenUrl: '"
                + api.url("/token")
                + "', clientId: id, clientSecret: '"
                + CANARY
                + "', clientAuth: body}}");
    assertNoCanary(texts);
  }

  @Test
  void credential_like_query_parameters_are_masked_in_urls() {
    api.on("/orders", r -> Reply.status(404, ""));
    List<String> texts =
        everything(
            "url: " + api.url("/orders") + "\nquery: {access_token: '" + CANARY + "', q: open}");
    assertThat(texts.getFirst()).contains("?access_token=******&q=open");
    assertNoCanary(texts);
  }

  @Test
  void a_successful_run_shows_no_secret_in_outputs_or_log() {
    api.on("/orders", r -> Reply.json(Orders.page(Integer.parseInt(r.param("page")), 2, 3)));
    List<String> texts =
        everything(
            "url: "
                + api.url("/orders")
                + "\nauth: {apiKey: {in: query, name: sig, value: '"
                + CANARY
                + "'}}\npagination: {type: page}");
    assertThat(texts.getFirst()).contains("rows=3");
    assertThat(ctx.log()).anyMatch(l -> l.contains("sig=******"));
    assertNoCanary(texts);
  }
}
