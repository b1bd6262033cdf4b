package dev.weir.expr;

import dev.weir.WeirException;
import dev.weir.flow.Durations;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much one template may produce and for how long it may render. A loop in a template, or a huge
 * value put into one, must fail the attempt rather than take the process's memory or a worker
 * thread for good.
 *
 * @param maxBytes the most UTF-8 bytes one rendered value may hold
 * @param maxTime the longest one value may take to render
 */
public record RenderLimits(long maxBytes, Duration maxTime) {
  public static final String MAX_BYTES_VARIABLE = "WEIR_RENDER_MAX_BYTES";
  public static final String TIMEOUT_VARIABLE = "WEIR_RENDER_TIMEOUT";
  public static final RenderLimits DEFAULT = new RenderLimits(1L << 20, Duration.ofSeconds(5));

  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(|b|bytes|k|kb|kib|m|mb|mib)", Pattern.CASE_INSENSITIVE);

  public RenderLimits {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
    }
    if (maxTime == null || maxTime.isNegative() || maxTime.isZero()) {
      throw new IllegalArgumentException("maxTime must be positive, got " + maxTime);
    }
  }

  /**
   * The limits set by {@value #MAX_BYTES_VARIABLE} and {@value #TIMEOUT_VARIABLE}, else the
   * defaults (1 MiB, 5s).
   *
   * @throws WeirException naming the variable and a value that works
   */
  public static RenderLimits fromEnvironment(Map<String, String> env) {
    String size = env.get(MAX_BYTES_VARIABLE);
    String time = env.get(TIMEOUT_VARIABLE);
    long bytes = size == null || size.isBlank() ? DEFAULT.maxBytes : parseSize(size);
    Duration timeout = DEFAULT.maxTime;
    if (time != null && !time.isBlank()) {
      try {
        timeout = Durations.parse(time);
      } catch (IllegalArgumentException e) {
        throw new WeirException(TIMEOUT_VARIABLE + ": " + e.getMessage());
      }
      if (timeout.isZero() || timeout.isNegative()) {
        throw new WeirException(TIMEOUT_VARIABLE + " must be longer than 0, e.g. 5s; got " + time);
      }
    }
    return new RenderLimits(bytes, timeout);
  }

  private static long parseSize(String text) {
    Matcher m = SIZE.matcher(text.strip());
    long n = m.matches() ? Long.parseLong(m.group(1)) : 0;
    if (n <= 0) {
      throw new WeirException(
          MAX_BYTES_VARIABLE
              + " must be a positive size like 1048576, 512KiB or 4MiB; got '"
              + text
              + "'");
    }
    return switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k", "kb", "kib" -> n << 10;
      case "m", "mb", "mib" -> n << 20;
      default -> n;
    };
  }

  /** {@code 5s} or {@code 250ms}. */
  static String formatTime(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  /** {@code 1 MiB}, {@code 512 KiB} or {@code 300 bytes}. */
  static String formatSize(long bytes) {
    if (bytes % (1L << 20) == 0) {
      return (bytes >> 20) + " MiB";
    }
    if (bytes % (1L << 10) == 0) {
      return (bytes >> 10) + " KiB";
    }
    return bytes + " bytes";
  }
}
