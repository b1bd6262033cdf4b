package dev.weir.util;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Passwords in JDBC URLs, hidden wherever a URL or a driver's echo of it is shown. */
public final class JdbcUrls {
  private static final Pattern PARAM = Pattern.compile("(?i)(password=)([^&;\\s]*)");
  private static final Pattern USER_INFO = Pattern.compile("(//[^/@:\\s]*:)([^/@\\s]*)(@)");
  private static final String MASK = "******";

  private JdbcUrls() {}

  /**
   * {@code url} with a {@code password=} parameter or a {@code //user:password@} part masked; works
   * on any text holding URLs, such as a stack trace.
   */
  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    String out = PARAM.matcher(url).replaceAll("$1" + MASK);
    return USER_INFO.matcher(out).replaceAll("$1" + MASK + "$3");
  }

  /**
   * {@code text} (a driver's message, say) with the URL's password masked wherever it appears:
   * PostgreSQL's driver echoes a {@code user:password@host} part as an unknown host name.
   */
  public static String scrub(String text, String url) {
    if (text == null || url == null) {
      return text;
    }
    String out = text;
    for (Pattern p : new Pattern[] {PARAM, USER_INFO}) {
      Matcher m = p.matcher(url);
      while (m.find()) {
        if (!m.group(2).isEmpty()) {
          out = out.replace(m.group(2), MASK);
        }
      }
    }
    return out;
  }
}
