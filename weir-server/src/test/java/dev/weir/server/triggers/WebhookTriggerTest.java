package dev.weir.server.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.server.ServerFixture;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookTriggerTest {
  static final String KEY = "hook-key-7f3a9c2e51d04b68";
  static final String LITERAL = "literal-key-0123456789abcdef";

  static final String ORDERS =
      """
      id: orders
      namespace: shop
      inputs:
        - {id: day, type: date}
      tasks:
        - id: show
          type: test.ok
          message: "day {{ inputs.day }} via {{ trigger.headers['x-source'] }}, key {{ secret('HOOK') }}"
          values:
            customer: "{{ trigger.body.customer.id }}"
            trigger: "{{ trigger.type }}/{{ trigger.id }}"
            headers: "{{ trigger.headers }}"
      triggers:
        - id: push
          type: webhook
          key: "{{ secret('HOOK') }}"
          inputs:
            day: "{{ trigger.body.day }}"
      """;

  static final String RAW =
      """
      id: raw
      namespace: shop
      tasks:
        - id: show
          type: test.ok
          message: "got [{{ trigger.body }}] with literal-key-0123456789abcdef"
      triggers:
        - id: paused
          type: webhook
          key: "{{ secret('HOOK') }}"
          disabled: true
        - id: text
          type: webhook
          key: literal-key-0123456789abcdef
      """;

  @TempDir Path dir;
  ServerFixture fx;
  LogCapture logs;

  @BeforeEach
  void start() throws Exception {
    logs = new LogCapture();
    fx = new ServerFixture(dir);
    fx.writeFlow("shop/orders.yaml", ORDERS);
    fx.writeFlow("shop/raw.yaml", RAW);
    TriggerServer.start(fx, Map.of("WEIR_SECRET_HOOK", KEY));
  }

  @AfterEach
  void stop() {
    fx.close();
    logs.close();
  }

  ServerFixture.Response hook(String path, String body, String... headers) {
    var b = HttpRequest.newBuilder(fx.uri("/webhooks/" + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return fx.send(b.POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  @Test
  void the_right_key_starts_a_run_that_sees_the_body_headers_and_rendered_inputs() {
    var answer =
        hook(
            "shop/orders/" + KEY,
            "{\"day\": \"2026-03-01\", \"customer\": {\"id\": \"c-42\"}}",
            "Content-Type",
            "application/json",
            "X-Source",
            "shop-app",
            "Authorization",
            "Bearer not-for-the-run",
            "Cookie",
            "session=not-for-the-run");

    assertThat(answer.status()).isEqualTo(202);
    assertThat(answer.json().path("outcome").asText()).isEqualTo("STARTED");
    var run = fx.awaitRun(answer.json().path("runId").asText());
    assertThat(run.path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(run.path("trigger").asText()).isEqualTo("webhook");
    assertThat(run.path("inputs").path("day").asText()).isEqualTo("2026-03-01");
    var out = TriggerServer.outputs(run, "show");
    assertThat(out.path("customer").asText()).isEqualTo("c-42");
    assertThat(out.path("trigger").asText()).isEqualTo("webhook/push");
    assertThat(out.path("headers").asText())
        .contains("x-source=shop-app", "content-type=application/json")
        .doesNotContainIgnoringCase("authorization")
        .doesNotContainIgnoringCase("cookie")
        .doesNotContain("not-for-the-run");
    // the key is masked wherever the server shows text
    String runLogs = fx.get("/runs/" + run.path("id").asText() + "/logs").body();
    assertThat(runLogs).contains("day 2026-03-01 via shop-app, key ******").doesNotContain(KEY);
    assertThat(answer.body()).doesNotContain(KEY);
    assertThat(fx.get("/runs").body()).doesNotContain(KEY);
    assertThat(fx.get("/runs/" + run.path("id").asText()).body()).doesNotContain(KEY);
    assertThat(hook("shop/orders/" + KEY + "-wrong", "{}").status()).isEqualTo(404);
    assertThat(logs.text()).contains("webhook push of shop/orders started run").doesNotContain(KEY);
  }

  @Test
  void a_wrong_key_an_unknown_flow_and_a_disabled_trigger_get_the_same_404() {
    var wrongKey = hook("shop/orders/" + KEY + "x", "{}");
    var unknownFlow = hook("shop/nope/" + KEY, "{}");
    var unknownNamespace = hook("elsewhere/orders/" + KEY, "{}");
    var disabledTrigger = hook("shop/raw/" + KEY, "{}"); // the key of raw's disabled trigger

    assertThat(wrongKey.status()).isEqualTo(404);
    assertThat(wrongKey.body())
        .contains("no webhook at this address")
        .doesNotContain(KEY)
        .doesNotContain("orders");
    assertThat(unknownFlow.body()).isEqualTo(wrongKey.body());
    assertThat(unknownNamespace.body()).isEqualTo(wrongKey.body());
    assertThat(disabledTrigger.status()).isEqualTo(404);
    assertThat(disabledTrigger.body()).isEqualTo(wrongKey.body());
    assertThat(TriggerServer.runs(fx, "shop/orders")).isEmpty();
  }

  @Test
  void a_disabled_flow_gets_the_same_404_until_it_is_enabled() {
    String unknown = hook("shop/nope/" + KEY, "{}").body();
    fx.post("/flows/shop/orders/disable", "");

    var disabled = hook("shop/orders/" + KEY, "{\"day\": \"2026-03-01\"}");
    assertThat(disabled.status()).isEqualTo(404);
    assertThat(disabled.body()).isEqualTo(unknown);

    fx.post("/flows/shop/orders/enable", "");
    assertThat(hook("shop/orders/" + KEY, "{\"day\": \"2026-03-01\"}").status()).isEqualTo(202);
  }

  @Test
  void a_text_body_reaches_the_run_as_text_and_a_literal_key_is_masked_too() {
    var answer = hook("shop/raw/" + LITERAL, "plain words, not JSON", "Content-Type", "text/plain");

    assertThat(answer.status()).isEqualTo(202);
    String runId = answer.json().path("runId").asText();
    assertThat(fx.awaitRun(runId).path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(fx.get("/runs/" + runId + "/logs").body())
        .contains("got [plain words, not JSON] with ******")
        .doesNotContain(LITERAL);
  }

  @Test
  void an_empty_body_is_an_empty_object() {
    String runId = hook("shop/raw/" + LITERAL, "").json().path("runId").asText();

    assertThat(fx.awaitRun(runId).path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(fx.get("/runs/" + runId + "/logs").body()).contains("got [{}]");
  }

  @Test
  void a_body_the_inputs_cannot_use_is_refused_with_400_and_starts_nothing() {
    var answer = hook("shop/orders/" + KEY, "{\"customer\": {\"id\": \"c-1\"}}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().path("error").path("message").asText())
        .contains(
            "webhook trigger 'push' of shop/orders cannot render input 'day':"
                + " 'trigger.body' has no 'day' in '{{ trigger.body.day }}' (known: customer)");
    assertThat(answer.body()).doesNotContain(KEY);
    assertThat(TriggerServer.runs(fx, "shop/orders")).isEmpty();
  }

  @Test
  void a_body_over_one_mib_is_refused_with_413() {
    var answer = hook("shop/raw/" + LITERAL, "x".repeat((1 << 20) + 1));

    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.json().path("error").path("message").asText()).contains("1 MiB");
    assertThat(TriggerServer.runs(fx, "shop/raw")).isEmpty();
  }

  @Test
  void a_key_written_in_the_flow_is_masked_in_the_flow_api() {
    assertThat(fx.get("/flows/shop/raw").body()).doesNotContain("literal-key-0123456789abcdef");
    assertThat(fx.get("/flows/shop/raw/revisions/1").body())
        .doesNotContain("literal-key-0123456789abcdef");
  }
}
