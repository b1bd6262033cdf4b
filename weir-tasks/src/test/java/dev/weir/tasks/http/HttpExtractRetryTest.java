package dev.weir.tasks.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.http.TestApi.Reply;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HttpExtractRetryTest extends ApiTestBase {
  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  @Test
  void waits_out_a_429_with_retry_after() throws Exception {
    var calls = new AtomicInteger();
    api.on(
        "/orders",
        r -> {
          int page = Integer.parseInt(r.param("page"));
          if (page == 2 && calls.incrementAndGet() == 1) {
            return Reply.status(429, "slow down").with("Retry-After", "2");
          }
          return Reply.json(Orders.page(page, 2, 5));
        });
    long start = System.nanoTime();
    TaskResult result = extract("url: " + api.url("/orders") + "\npagination: {type: page}");
    assertThat(millisSince(start)).isGreaterThanOrEqualTo(1_900);
    assertThat(Orders.ids(result.dataset())).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(result.outputs())
        .containsEntry("pages", 4L)
        .containsEntry("requests", 5L)
        .containsEntry("retries", 1L);
    List<TestApi.Seen> seen = api.seen();
    assertThat((seen.get(2).nanos() - seen.get(1).nanos()) / 1_000_000)
        .isGreaterThanOrEqualTo(1_900);
    assertThat(ctx.log())
        .contains(
            "WARN http.extract: page 2 (GET "
                + api.url("/orders?page=2")
                + ") answered 429: slow down; retry 1 of 5 in 2.0s");
  }

  @Test
  void retries_a_503_then_succeeds() throws Exception {
    var calls = new AtomicInteger();
    api.on(
        "/orders",
        r ->
            calls.incrementAndGet() <= 2
                ? Reply.status(503, "<html>maintenance</html>")
                : Reply.json(Orders.json(1, 2)));
    TaskResult result = extract("url: " + api.url("/orders") + "\nretryDelay: 50ms");
    assertThat(result.outputs()).containsEntry("rows", 2L).containsEntry("retries", 2L);
    assertThat(ctx.log())
        .filteredOn(l -> l.startsWith("WARN"))
        .extracting(l -> l.replaceFirst(".* in ", ""))
        .containsExactly("50ms", "100ms"); // exponential backoff
  }

  @Test
  void a_404_fails_permanently_with_the_status_and_a_snippet_of_the_body() {
    api.on("/orders", r -> Reply.status(404, "{\"message\":   \"Not Found\",\n \"doc\": \"x\"}"));
    assertThatThrownBy(() -> extract("url: " + api.url("/orders") + "\nquery: {status: open}"))
        .isInstanceOf(TaskFailedException.class)
        .matches(e -> !((TaskFailedException) e).retryable())
        .hasMessage(
            "http.extract: page 1 (GET "
                + api.url("/orders?status=open")
                + ") answered 404: {\"message\": \"Not Found\", \"doc\": \"x\"}; check the url");
    assertThat(api.seen()).hasSize(1);
  }

  @Test
  void a_redirect_is_not_followed_and_names_its_target() {
    api.on("/old", r -> Reply.status(301, "").with("Location", "/new?key=k1"));
    assertThatThrownBy(() -> extract("url: " + api.url("/old") + "\nauth: {bearer: t0ken}"))
        .isInstanceOf(TaskFailedException.class)
        .matches(e -> !((TaskFailedException) e).retryable())
        .hasMessage(
            "http.extract: page 1 (GET "
                + api.url("/old")
                + ") answered 301: (empty body); it redirects to "
                + api.url("/new?key=******")
                + ", which http.extract does not follow so that credentials never reach another"
                + " host: set url to the final address");
    assertThat(api.seen()).hasSize(1);
  }

  @Test
  void a_long_error_body_is_cut_short() {
    api.on("/orders", r -> Reply.status(400, "x".repeat(5_000)));
    assertThatThrownBy(() -> extract("url: " + api.url("/orders")))
        .hasMessageEndingWith(": " + "x".repeat(200) + "...");
  }

  @Test
  void exhausted_retries_fail_retryably_with_the_last_answer() {
    api.on("/orders", r -> Reply.status(502, "bad gateway"));
    assertThatThrownBy(
            () -> extract("url: " + api.url("/orders") + "\nmaxRetries: 2\nretryDelay: 10ms"))
        .isInstanceOf(TaskFailedException.class)
        .matches(e -> ((TaskFailedException) e).retryable())
        .matches(e -> ((TaskFailedException) e).connectionFailure(), "a connection failure")
        .hasMessage(
            "http.extract gave up on page 1 (GET "
                + api.url("/orders")
                + ") after 3 tries (maxRetries 2); the last one answered 502: bad gateway");
    assertThat(api.seen()).hasSize(3);
  }

  @Test
  void an_api_that_answers_500_to_the_end_is_not_a_connection_failure() {
    api.on("/orders", r -> Reply.status(500, "oops"));
    assertThatThrownBy(
            () -> extract("url: " + api.url("/orders") + "\nmaxRetries: 1\nretryDelay: 10ms"))
        .isInstanceOf(TaskFailedException.class)
        .matches(e -> ((TaskFailedException) e).retryable())
        .matches(e -> !((TaskFailedException) e).connectionFailure(), "not a connection failure");
  }

  @Test
  void a_retry_after_longer_than_maxRetryWait_fails_at_once_retryably() {
    api.on("/orders", r -> Reply.status(429, "").with("Retry-After", "3600"));
    long start = System.nanoTime();
    assertThatThrownBy(() -> extract("url: " + api.url("/orders") + "\nmaxRetryWait: 1m"))
        .isInstanceOf(TaskFailedException.class)
        .matches(e -> ((TaskFailedException) e).retryable())
        .hasMessage(
            "http.extract: the server asked to wait 1h (Retry-After) before retrying, more than"
                + " maxRetryWait 1m; raise maxRetryWait or let the task's retry policy try later");
    assertThat(millisSince(start)).isLessThan(5_000);
  }

  @Test
  void a_request_slower_than_requestTimeout_is_retried_then_fails() {
    api.on(
        "/orders",
        r -> {
          sleep(2_000);
          return Reply.json("[]");
        });
    long start = System.nanoTime();
    assertThatThrownBy(() ->
            extract(
                "url: "
                    + api.url("/orders")
                    + "\nrequestTimeout: 200ms\nmaxRetries: 1\nretryDelay: 10ms"))
        .isInstanceOf(TaskFailedException.class)
        .matches(e -> ((TaskFailedException) e).retryable())
        .hasMessageEndingWith(
            "after 2 tries (maxRetries 1); the last one failed: no answer within the request"
                + " timeout");
    assertThat(millisSince(start)).isLessThan(1_500);
  }

  @Test
  void a_refused_connection_is_retried() {
    String url = api.url("/orders");
    api.close();
    assertThatThrownBy(() -> extract("url: " + url + "\nmaxRetries: 1\nretryDelay: 10ms"))
        .isInstanceOf(TaskFailedException.class)
        .matches(e -> ((TaskFailedException) e).retryable())
        .matches(e -> ((TaskFailedException) e).connectionFailure(), "a connection failure")
        .hasMessageContaining(
            "after 2 tries (maxRetries 1); the last one failed: ConnectException");
  }

  @Test
  void rate_limit_spaces_every_request() throws Exception {
    api.on("/orders", r -> Reply.json(Orders.page(Integer.parseInt(r.param("page")), 1, 9)));
    long start = System.nanoTime();
    TaskResult result =
        extract("url: " + api.url("/orders") + "\npagination: {type: page}\nrateLimit: 5");
    long elapsed = millisSince(start);
    assertThat(result.outputs()).containsEntry("requests", 10L);
    // 10 requests at 5 per second: 9 gaps of 200ms
    assertThat(elapsed).isGreaterThanOrEqualTo(1_800);
    List<TestApi.Seen> seen = api.seen();
    for (int i = 1; i < seen.size(); i++) {
      assertThat((seen.get(i).nanos() - seen.get(i - 1).nanos()) / 1_000_000)
          .as("gap before request %d", i + 1)
          .isGreaterThanOrEqualTo(150); // 200ms apart when sent, less any jitter in transit
    }
  }

  @Test
  void cancel_ends_a_retry_after_wait_promptly() throws Exception {
    api.on("/orders", r -> Reply.status(503, "").with("Retry-After", "60"));
    assertCancelsPromptly("url: " + api.url("/orders"), "waiting to retry page 1", true);
  }

  @Test
  void cancel_ends_a_rate_limit_wait_promptly() throws Exception {
    api.on("/orders", r -> Reply.json(Orders.page(Integer.parseInt(r.param("page")), 1, 9)));
    assertCancelsPromptly(
        "url: " + api.url("/orders") + "\npagination: {type: page}\nrateLimit: 0.05",
        "waiting for the rate limit",
        true);
  }

  @Test
  void cancel_ends_a_request_in_flight() throws Exception {
    api.on(
        "/orders",
        r -> {
          sleep(20_000);
          return Reply.json("[]");
        });
    // the API holds the request 20 s: once it has seen it, the request is in flight
    assertCancelsPromptly("url: " + api.url("/orders"), "sending page 1", false);
  }

  /**
   * Cancels the extract once the API has seen its first request and, if {@code inWait}, once the
   * task waits in {@link Waiter#sleep}: until then it may still be reading the response, and the
   * cancel would end the request in flight instead of the wait.
   */
  private void assertCancelsPromptly(String yaml, String while_, boolean inWait) throws Exception {
    var failure = new AtomicReference<Throwable>();
    Thread t =
        Thread.ofVirtual()
            .start(() -> {
              try {
                extract(yaml);
              } catch (Throwable e) {
                failure.set(e);
              }
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> !api.seen().isEmpty());
    if (inWait) {
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> inWaiterSleep(t));
    }
    long start = System.nanoTime();
    ctx.cancel();
    t.join(5_000);
    assertThat(t.isAlive()).isFalse();
    assertThat(millisSince(start)).isLessThan(2_000);
    assertThat(failure.get()).hasMessage("http.extract was cancelled while " + while_);
  }

  private static boolean inWaiterSleep(Thread t) {
    for (StackTraceElement e : t.getStackTrace()) {
      if (e.getClassName().equals(Waiter.class.getName()) && e.getMethodName().equals("sleep")) {
        return true;
      }
    }
    return false;
  }

  @Test
  void retry_after_reads_delta_seconds_and_http_dates() {
    Instant now = Instant.parse("2015-10-21T07:27:50Z");
    assertThat(RetryAfter.parse("2", now)).contains(Duration.ofSeconds(2));
    assertThat(RetryAfter.parse(" 120 ", now)).contains(Duration.ofMinutes(2));
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", now))
        .contains(Duration.ofSeconds(10));
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", now)).contains(Duration.ZERO);
    assertThat(RetryAfter.parse("soon", now)).isEmpty();
    assertThat(RetryAfter.parse("-1", now)).isEmpty();
    assertThat(RetryAfter.parse(null, now)).isEmpty();
  }

  @Test
  void waits_until_a_retry_after_http_date() throws Exception {
    var calls = new AtomicInteger();
    api.on(
        "/orders",
        r ->
            calls.incrementAndGet() == 1
                ? Reply.status(503, "")
                    .with(
                        "Retry-After",
                        DateTimeFormatter.RFC_1123_DATE_TIME.format(
                            Instant.now().plusSeconds(2).atOffset(ZoneOffset.UTC)))
                : Reply.json(Orders.json(1, 1)));
    long start = System.nanoTime();
    assertThat(extract("url: " + api.url("/orders")).outputs()).containsEntry("retries", 1L);
    // the date has whole seconds, so the wait is between 1 and 2 seconds
    assertThat(millisSince(start)).isGreaterThanOrEqualTo(900);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
