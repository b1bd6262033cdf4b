package dev.weir.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.store.StoreAddress;
import dev.weir.util.Suggest;
import java.util.List;

/**
 * The server config's {@code db}: a JDBC URL, or a mapping whose password need not be in the file.
 *
 * <pre>
 * db: jdbc:postgresql://db:5432/weir?user=weir
 * # or
 * db:
 *   url: jdbc:postgresql://db:5432/weir
 *   user: weir
 *   password: "{{ secret('STORE_PASSWORD') }}"   # WEIR_SECRET_STORE_PASSWORD, or a file
 * </pre>
 */
final class StoreConfig {
  static final List<String> KEYS = List.of("url", "user", "password");
  private static final String EXAMPLE =
      "e.g. `db: jdbc:postgresql://db/weir?user=weir` or `db: {url: jdbc:postgresql://db/weir,"
          + " user: weir, password: \"{{ secret('STORE_PASSWORD') }}\"}`";

  private StoreConfig() {}

  /** The address, or null without the key (or when it is wrong: then {@code problems} says so). */
  static StoreAddress parse(JsonNode node, List<String> problems) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      if (node.asText().isBlank()) {
        problems.add("db must not be empty; " + EXAMPLE);
        return null;
      }
      return StoreAddress.of(node.asText());
    }
    if (!node.isObject()) {
      problems.add("db must be a JDBC URL or a mapping of url, user and password; " + EXAMPLE);
      return null;
    }
    node.fieldNames()
        .forEachRemaining(k -> {
          if (!KEYS.contains(k)) {
            problems.add(
                "unknown key 'db."
                    + k
                    + "'"
                    + Suggest.didYouMean(k, KEYS)
                    + " (known: "
                    + KEYS
                    + ")");
          }
        });
    String url = text(node, "url");
    if (url == null || url.isBlank()) {
      problems.add("db needs a url; " + EXAMPLE);
      return null;
    }
    for (String k : KEYS) {
      JsonNode v = node.get(k);
      if (v != null && !v.isNull() && !v.isTextual()) {
        problems.add("db." + k + " must be text, e.g. `" + k + ": weir`");
        return null;
      }
    }
    return new StoreAddress(url, text(node, "user"), text(node, "password"));
  }

  private static String text(JsonNode node, String key) {
    return node.hasNonNull(key) ? node.get(key).asText() : null;
  }
}
