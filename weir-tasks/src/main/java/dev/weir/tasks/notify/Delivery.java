package dev.weir.tasks.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Posts one JSON message. A failure says what happened but never the address, which may hold a
 * token ({@code hooks.slack.com/services/...}).
 */
public final class Delivery {
  public static final String SIGNATURE_HEADER = "X-Weir-Signature";
  public static final String TIMESTAMP_HEADER = "X-Weir-Timestamp";
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

  /** {@code sha256=<hex HMAC-SHA256 of body>}, the value of {@link #SIGNATURE_HEADER}. */
  public static String signature(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256="
          + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  /** Headers of a signed webhook: the timestamp always, the signature when there is a secret. */
  public static Map<String, String> webhookHeaders(
      String signingSecret, String body, java.time.Instant now) {
    var h = new java.util.LinkedHashMap<String, String>();
    h.put(TIMESTAMP_HEADER, String.valueOf(now.getEpochSecond()));
    if (signingSecret != null && !signingSecret.isEmpty()) {
      h.put(SIGNATURE_HEADER, signature(signingSecret, body));
    }
    return h;
  }
}
