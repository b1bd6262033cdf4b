package dev.weir.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's check of a Standard Webhooks signature, written from the specification
 * (standard-webhooks/spec, "Verifying webhook authenticity") and not from Weir's signer, so a test
 * that passes through it shows a third-party receiver would accept Weir's messages.
 *
 * <p>Weir's key mapping: {@code whsec_<base64>} is the decoded bytes, any other secret its UTF-8
 * bytes.
 */
public final class StandardWebhooksVerifier {
  /** The spec's suggested tolerance for the timestamp, either way. */
  public static final Duration TOLERANCE = Duration.ofMinutes(5);

  private final byte[] key;

  public StandardWebhooksVerifier(String secret) {
    this.key =
        secret.startsWith("whsec_")
            ? Base64.getDecoder().decode(secret.substring("whsec_".length()))
            : secret.getBytes(StandardCharsets.UTF_8);
  }

  /** Why a message is refused; {@code null} when it is accepted. */
  public String refusal(String id, String timestamp, String signatures, String body, Instant now) {
    if (id == null || timestamp == null || signatures == null) {
      return "missing header";
    }
    long ts;
    try {
      ts = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return "timestamp is not a number";
    }
    if (Math.abs(now.getEpochSecond() - ts) > TOLERANCE.toSeconds()) {
      return "timestamp outside tolerance";
    }
    byte[] expected = hmac(id + "." + timestamp + "." + body);
    for (String sig : signatures.split(" ")) {
      int comma = sig.indexOf(',');
      if (comma < 0 || !sig.substring(0, comma).equals("v1")) {
        continue;
      }
      byte[] given;
      try {
        given = Base64.getDecoder().decode(sig.substring(comma + 1));
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (MessageDigest.isEqual(expected, given)) {
        return null;
      }
    }
    return "no matching signature";
  }

  private byte[] hmac(String content) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
