package dev.weir.tasks.http;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Query strings built by hand: {@link URI}'s multi-argument constructors mis-encode '&' and '+'.
 */
final class Urls {
  private Urls() {}

  /** {@code uri} with {@code params} appended to its query, in order. */
  static URI withParams(URI uri, Map<String, String> params) {
    URI out = uri;
    for (Map.Entry<String, String> p : params.entrySet()) {
      out = append(out, p.getKey(), p.getValue());
    }
    return out;
  }

  /** {@code uri} with {@code name} set to {@code value}, replacing any value it had. */
  static URI withParam(URI uri, String name, String value) {
    return append(without(uri, name), name, value);
  }

  private static URI append(URI uri, String name, String value) {
    String pair = encode(name) + "=" + encode(value);
    String query = uri.getRawQuery();
    return rebuild(uri, query == null || query.isEmpty() ? pair : query + "&" + pair);
  }

  private static URI without(URI uri, String name) {
    String query = uri.getRawQuery();
    if (query == null) {
      return uri;
    }
    List<String> kept = new ArrayList<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String raw = eq < 0 ? pair : pair.substring(0, eq);
      if (!URLDecoder.decode(raw, StandardCharsets.UTF_8).equals(name)) {
        kept.add(pair);
      }
    }
    return rebuild(uri, kept.isEmpty() ? null : String.join("&", kept));
  }

  private static URI rebuild(URI uri, String rawQuery) {
    String s = uri.toString();
    int cut = s.indexOf('?');
    int hash = s.indexOf('#');
    String base = cut >= 0 ? s.substring(0, cut) : hash >= 0 ? s.substring(0, hash) : s;
    return URI.create(base + (rawQuery == null ? "" : "?" + rawQuery));
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
