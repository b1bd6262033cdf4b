package dev.weir.tasks.http;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code rel="next"} target of RFC 8288 {@code Link} headers. */
final class LinkHeader {
  // <target> followed by ;-separated parameters, up to the next link or the end
  private static final Pattern LINK = Pattern.compile("<([^>]*)>((?:\\s*;\\s*[^;,]*)*)");
  private static final Pattern REL =
      Pattern.compile("(?i);\\s*rel\\s*=\\s*(?:\"([^\"]*)\"|([^\\s;,\"]+))");

  private LinkHeader() {}

  static Optional<String> next(List<String> headers) {
    for (String header : headers) {
      Matcher link = LINK.matcher(header);
      while (link.find()) {
        Matcher rel = REL.matcher(link.group(2));
        if (rel.find()) {
          String rels = rel.group(1) != null ? rel.group(1) : rel.group(2);
          for (String r : rels.strip().split("\\s+")) {
            if (r.equalsIgnoreCase("next")) {
              return Optional.of(link.group(1).strip());
            }
          }
        }
      }
    }
    return Optional.empty();
  }
}
