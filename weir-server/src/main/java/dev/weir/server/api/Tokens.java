package dev.weir.server.api;

import dev.weir.server.store.ServerStore;
import dev.weir.util.Hashes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens of the API, kept only as SHA-256 hashes: those of the server config and {@code
 * WEIR_API_TOKENS}, and those in the store. With none anywhere, the first start makes one, prints
 * it once and keeps its hash.
 */
public final class Tokens {
  private final Set<String> hashes = ConcurrentHashMap.newKeySet();

  private Tokens() {}

  /**
   * @param configured tokens in clear from the config and the environment (may be empty)
   * @param announce told the one new token when the server had to make it
   */
  public static Tokens load(
      List<String> configured,
      ServerStore store,
      InstantSource clock,
      java.util.function.Consumer<String> announce) {
    var t = new Tokens();
    configured.stream().filter(s -> !s.isBlank()).map(s -> hash(s.strip())).forEach(t.hashes::add);
    t.hashes.addAll(store.tokenHashes());
    if (t.hashes.isEmpty()) {
      byte[] raw = new byte[24];
      new SecureRandom().nextBytes(raw);
      String token = "weir_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
      String h = hash(token);
      store.addToken(h, "generated at first start", clock.instant());
      t.hashes.add(h);
      announce.accept(token);
    }
    return t;
  }

  /** Whether the {@code Authorization} header carries a known token. */
  public boolean accepts(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = hash(authorization.substring(7).strip()).getBytes(StandardCharsets.UTF_8);
    boolean ok = false;
    for (String h : hashes) {
      ok |= MessageDigest.isEqual(given, h.getBytes(StandardCharsets.UTF_8));
    }
    return ok;
  }

  static String hash(String token) {
    return Hashes.sha256(token);
  }
}
