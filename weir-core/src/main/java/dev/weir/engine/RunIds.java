package dev.weir.engine;

import java.security.SecureRandom;
import java.time.Instant;

/** Short run ids that sort by creation time: base-36 milliseconds plus 6 random characters. */
final class RunIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

  private RunIds() {}

  static String next(Instant now) {
    var sb = new StringBuilder(Long.toString(now.toEpochMilli(), 36));
    while (sb.length() < 9) {
      sb.insert(0, '0');
    }
    for (int i = 0; i < 6; i++) {
      sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    return sb.toString();
  }
}
