package dev.weir.tasks.http;

import dev.weir.task.TaskContext;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps credentials out of every message the task writes. It does not rely on the engine's masking
 * alone: a token fetched at run time, or an API key as it appears URL-encoded in a query string,
 * was never registered as a secret.
 */
public final class Redactor {
  static final String MASK = "******";
  private static final int MIN_LENGTH = 3; // as the engine's Masker: masking "a" garbles every line
  // query parameters that carry credentials by convention, compared without '-' and '_'
  private static final Set<String> SENSITIVE =
      Set.of(
          "apikey",
          "key",
          "token",
          "accesstoken",
          "idtoken",
          "secret",
          "clientsecret",
          "password",
          "pwd",
          "signature",
          "sig",
          "auth",
          "authorization");

  private final List<String> secrets = new CopyOnWriteArrayList<>();
  private final String apiKeyParam;
  private final TaskContext context;

  /**
   * @param secrets values to mask beyond the run's registered secrets (header values, tokens)
   * @param apiKeyParam a query parameter that carries a key, or null
   */
  public Redactor(List<String> secrets, String apiKeyParam, TaskContext context) {
    this.apiKeyParam = apiKeyParam;
    this.context = context;
    secrets.forEach(this::add);
  }

  /** Registers a value learnt at run time, such as an OAuth2 access token. */
  void add(String secret) {
    if (secret == null || secret.length() < MIN_LENGTH) {
      return;
    }
    for (String form :
        List.of(secret, URLEncoder.encode(secret, StandardCharsets.UTF_8), encodedSpaces(secret))) {
      if (!secrets.contains(form)) {
        secrets.add(form);
      }
    }
    // longest first, so that a secret containing another is replaced whole
    var sorted = new ArrayList<>(secrets);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    secrets.clear();
    secrets.addAll(sorted);
  }

  /** {@code text} with every known secret replaced, then masked by the engine too. */
  public String text(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, MASK);
    }
    return context.mask(out);
  }

  /** A URL fit for a message: no user info, credential-like query values masked. */
  public String url(URI uri) {
    if (uri.getScheme() == null || uri.getRawAuthority() == null) {
      return text(uri.toString());
    }
    String raw = uri.getRawQuery();
    var sb = new StringBuilder();
    sb.append(uri.getScheme()).append("://").append(uri.getRawAuthority().replaceFirst("^.*@", ""));
    sb.append(uri.getRawPath() == null ? "" : uri.getRawPath());
    if (raw != null) {
      var parts = new ArrayList<String>();
      for (String pair : raw.split("&", -1)) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        parts.add(eq >= 0 && sensitive(name) ? name + "=" + MASK : pair);
      }
      sb.append('?').append(String.join("&", parts));
    }
    return text(sb.toString());
  }

  private boolean sensitive(String rawName) {
    String name = URLDecoder.decode(rawName, StandardCharsets.UTF_8);
    if (name.equals(apiKeyParam)) {
      return true;
    }
    return SENSITIVE.contains(name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", ""));
  }

  /** {@code https://user:pw@host/x} → {@code https://host/x}, for URLs that may not parse. */
  public static String stripUserInfo(String url) {
    return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@?#]*@", "$1");
  }

  private static String encodedSpaces(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
