package dev.weir.tasks.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a webhook as <a href="https://www.standardwebhooks.com/">Standard Webhooks</a> does: an
 * HMAC-SHA256 over {@code "<id>.<timestamp>.<body>"}, so a receiver that checks the timestamp and
 * remembers ids can refuse replays, and a changed timestamp breaks the signature.
 *
 * <p>The key: a secret of the form {@code whsec_<base64>} is the base64-decoded bytes, as the
 * Standard Webhooks libraries read it; any other secret is its UTF-8 bytes.
 */
public final class WebhookSignature {
  public static final String ID_HEADER = "webhook-id";
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";
  public static final String SIGNATURE_HEADER = "webhook-signature";
  private static final String PREFIX = "whsec_";

  private WebhookSignature() {}

  /**
   * A message id that stays the same for every attempt at delivering the same message (a task
   * retried, an alert re-sent), so a receiver can drop duplicates: {@code msg_<uuid of parts>}.
   */
  public static String messageId(String... parts) {
    String joined = String.join("\u0000", parts);
    return "msg_" + UUID.nameUUIDFromBytes(joined.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The headers of a webhook: id and timestamp always, the signature when there is a secret.
   *
   * @throws IllegalArgumentException when a {@code whsec_} secret is not base64 (the message does
   *     not show the secret)
   */
  public static Map<String, String> headers(
      String secret, String messageId, String body, Instant now) {
    var h = new LinkedHashMap<String, String>();
    String timestamp = String.valueOf(now.getEpochSecond());
    h.put(ID_HEADER, messageId);
    h.put(TIMESTAMP_HEADER, timestamp);
    if (secret != null && !secret.isEmpty()) {
      h.put(SIGNATURE_HEADER, "v1," + sign(secret, messageId, timestamp, body));
    }
    return h;
  }

  /** Base64 HMAC-SHA256 of {@code "<id>.<timestamp>.<body>"}. */
  public static String sign(String secret, String messageId, String timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
      String content = messageId + "." + timestamp + "." + body;
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  static byte[] key(String secret) {
    if (secret.startsWith(PREFIX)) {
      try {
        return Base64.getDecoder().decode(secret.substring(PREFIX.length()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "a signing secret that starts with `whsec_` must continue in base64, e.g."
                + " `whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw`; any other secret is used as it is",
            null);
      }
    }
    return secret.getBytes(StandardCharsets.UTF_8);
  }
}
