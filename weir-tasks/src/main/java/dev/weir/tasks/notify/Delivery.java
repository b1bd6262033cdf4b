package dev.weir.tasks.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Posts one JSON message. A failure says what happened but never the address, which may hold a
 * token ({@code hooks.slack.com/services/...}).
 */
public final class Delivery {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private Delivery() {}

  /** Why a message did not arrive. */
  public static final class DeliveryException extends Exception {
    private final boolean retryable;

    public DeliveryException(String message, boolean retryable, Throwable cause) {
      super(message, cause, false, false);
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }
  }

  /**
   * @return the receiver's status (2xx)
   * @throws DeliveryException on another status or when the receiver cannot be reached
   */
  public static int post(String url, String body, Map<String, String> headers, Duration timeout)
      throws DeliveryException, InterruptedException {
    URI uri;
    try {
      uri = URI.create(url.strip());
    } catch (IllegalArgumentException e) {
      throw new DeliveryException("the address is not a valid URL", false, null);
    }
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
      throw new DeliveryException("the address must start with http:// or https://", false, null);
    }
    var req =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(req::header);
    HttpResponse<String> r;
    try {
      r = CLIENT.send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new DeliveryException(
          "the receiver cannot be reached (" + e.getClass().getSimpleName() + ")", true, null);
    }
    int s = r.statusCode();
    if (s / 100 != 2) {
      boolean retry = s == 429 || s == 408 || s >= 500;
      throw new DeliveryException("the receiver answered HTTP " + s, retry, null);
    }
    return s;
  }

  /**
   * Headers of a webhook signed as Standard Webhooks does (see {@link WebhookSignature}).
   *
   * @param messageId the same for every attempt at delivering this message
   * @throws DeliveryException (not retryable) when the secret is a malformed {@code whsec_} key
   */
  public static Map<String, String> webhookHeaders(
      String signingSecret, String messageId, String body, java.time.Instant now)
      throws DeliveryException {
    try {
      return WebhookSignature.headers(signingSecret, messageId, body, now);
    } catch (IllegalArgumentException e) {
      throw new DeliveryException(e.getMessage(), false, null);
    }
  }
}
