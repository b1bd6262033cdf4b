package dev.weir.tasks.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.weir.task.TaskFailedException;
import dev.weir.tasks.TestContext;
import dev.weir.testing.StandardWebhooksVerifier;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifyWebhookSignatureTest {
  private static final Instant SENT = Instant.parse("2026-11-21T05:12:09Z");
  private static final String SECRET = "k3y-123";

  record Received(Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  @TempDir Path dir;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          var headers = new java.util.HashMap<String, String>();
          ex.getRequestHeaders()
              .forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
          received.add(
              new Received(
                  headers, new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private Received post(String secret) throws Exception {
    var ctx = new TestContext(dir).clock(InstantSource.fixed(SENT));
    ctx.run(
        "announce",
        new NotifyWebhookTask(),
        """
        url: http://127.0.0.1:%d/hook
        signingSecret: "%s"
        message: orders loaded
        """
            .formatted(server.getAddress().getPort(), secret));
    assertThat(received).hasSize(1);
    return received.get(0);
  }

  private static String refusal(
      String secret, Received r, String timestamp, String body, Instant now) {
    return new StandardWebhooksVerifier(secret)
        .refusal(r.header("webhook-id"), timestamp, r.header("webhook-signature"), body, now);
  }

  @Test
  void a_signed_webhook_passes_a_standard_webhooks_check() throws Exception {
    Received r = post(SECRET);

    assertThat(r.header("webhook-id")).matches("msg_[0-9a-f-]{36}");
    assertThat(r.header("webhook-timestamp")).isEqualTo(String.valueOf(SENT.getEpochSecond()));
    assertThat(r.header("webhook-signature")).matches("v1,[A-Za-z0-9+/]{43}=");
    assertThat(refusal(SECRET, r, r.header("webhook-timestamp"), r.body(), SENT.plusSeconds(30)))
        .isNull();
    assertThat(r.headers()).doesNotContainKeys("x-weir-signature", "x-weir-timestamp");
    assertThat(r.toString()).doesNotContain(SECRET);
  }

  @Test
  void a_replay_with_the_old_timestamp_fails_the_check() throws Exception {
    Received r = post(SECRET);

    Instant later = SENT.plus(StandardWebhooksVerifier.TOLERANCE).plusSeconds(1);
    assertThat(refusal(SECRET, r, r.header("webhook-timestamp"), r.body(), later))
        .isEqualTo("timestamp outside tolerance");
  }

  @Test
  void a_replay_with_a_fresh_timestamp_fails_the_check_because_the_timestamp_is_signed()
      throws Exception {
    Received r = post(SECRET);

    Instant later = SENT.plus(Duration.ofHours(1));
    String forged = String.valueOf(later.getEpochSecond());
    assertThat(refusal(SECRET, r, forged, r.body(), later)).isEqualTo("no matching signature");
  }

  @Test
  void a_changed_body_fails_the_check() throws Exception {
    Received r = post(SECRET);

    String tampered = r.body().replace("orders loaded", "orders deleted");
    assertThat(tampered).isNotEqualTo(r.body());
    assertThat(refusal(SECRET, r, r.header("webhook-timestamp"), tampered, SENT))
        .isEqualTo("no matching signature");
  }

  @Test
  void a_changed_id_or_another_secret_fails_the_check() throws Exception {
    Received r = post(SECRET);

    assertThat(
            new StandardWebhooksVerifier(SECRET)
                .refusal(
                    "msg_other",
                    r.header("webhook-timestamp"),
                    r.header("webhook-signature"),
                    r.body(),
                    SENT))
        .isEqualTo("no matching signature");
    assertThat(refusal("k3y-124", r, r.header("webhook-timestamp"), r.body(), SENT))
        .isEqualTo("no matching signature");
  }

  @Test
  void a_whsec_secret_is_the_base64_key_as_standard_webhooks_libraries_read_it() throws Exception {
    String whsec = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    Received r = post(whsec);

    assertThat(refusal(whsec, r, r.header("webhook-timestamp"), r.body(), SENT)).isNull();
    // the same key given as plain text is a different key
    assertThat(
            WebhookSignature.sign(whsec, "msg_1", "1", "{}")
                .equals(
                    WebhookSignature.sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_1", "1", "{}")))
        .isFalse();
  }

  @Test
  void the_id_is_the_same_for_each_attempt_of_a_task_and_differs_between_tasks() throws Exception {
    var ctx = new TestContext(dir).clock(InstantSource.fixed(SENT));
    String yaml =
        "url: http://127.0.0.1:%d/hook\nmessage: hi\n".formatted(server.getAddress().getPort());
    ctx.run("a", new NotifyWebhookTask(), yaml);
    ctx.run("a", new NotifyWebhookTask(), yaml);
    ctx.run("b", new NotifyWebhookTask(), yaml);

    assertThat(received).hasSize(3);
    assertThat(received.get(0).header("webhook-id"))
        .isEqualTo(received.get(1).header("webhook-id"))
        .isNotEqualTo(received.get(2).header("webhook-id"));
    assertThat(received.get(0).header("webhook-signature")).isNull();
  }

  @Test
  void a_malformed_whsec_secret_fails_the_task_without_showing_it() {
    var ctx = new TestContext(dir).clock(InstantSource.fixed(SENT));

    assertThatThrownBy(() ->
            ctx.run(
                "announce",
                new NotifyWebhookTask(),
                "url: http://127.0.0.1:%d/hook\nsigningSecret: \"whsec_n0t*base64!\"\nmessage: x\n"
                    .formatted(server.getAddress().getPort())))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("must continue in base64")
        .hasMessageNotContaining("n0t*base64");
    assertThat(received).isEmpty();
  }
}
