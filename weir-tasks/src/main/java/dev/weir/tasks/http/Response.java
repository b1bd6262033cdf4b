package dev.weir.tasks.http;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/** A response read whole: one page is small enough to hold, all pages are never held at once. */
record Response(URI uri, int status, HttpHeaders headers, byte[] body) {
  private static final int SNIPPET = 200;

  /** The start of the body on one line, for error messages (not yet redacted). */
  String snippet() {
    String text = new String(body, 0, Math.min(body.length, SNIPPET * 4), StandardCharsets.UTF_8);
    text = text.replaceAll("\\s+", " ").strip();
    if (text.isEmpty()) {
      return "(empty body)";
    }
    return text.length() > SNIPPET ? text.substring(0, SNIPPET) + "..." : text;
  }
}
