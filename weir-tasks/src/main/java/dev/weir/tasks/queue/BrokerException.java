package dev.weir.tasks.queue;

import dev.weir.WeirException;

/**
 * A broker could not be reached or refused an operation. The message names the connection and the
 * broker's address without credentials; the broker client's own text follows.
 */
public final class BrokerException extends WeirException {
  public BrokerException(String message, Throwable cause) {
    super(message, cause);
  }

  public BrokerException(String message) {
    super(message);
  }

  /** {@code url} without a {@code user:password@} part, for messages. */
  public static String safeUrl(String url) {
    if (url == null) {
      return "?";
    }
    return url.replaceAll("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^@/]*@", "$1");
  }

  /**
   * What went wrong, from the deepest cause that says something, with any URL's credentials and the
   * {@code secrets} given blanked out.
   */
  public static String reason(Throwable e, String... secrets) {
    String said = said(e).replaceAll("([a-zA-Z][a-zA-Z0-9+.-]*://)[^@/\\s]*@", "$1");
    for (String s : secrets) {
      if (s != null && !s.isEmpty()) {
        said = said.replace(s, "******");
      }
    }
    return said;
  }

  private static String said(Throwable e) {
    Throwable t = e;
    String said = null;
    while (t != null) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        said = t.getMessage();
      }
      if (t.getCause() == t) {
        break;
      }
      t = t.getCause();
    }
    return said == null ? e.getClass().getSimpleName() : said;
  }
}
