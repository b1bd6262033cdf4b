package dev.weir.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Options end up in log lines and error messages: their text holds no token and no secret. */
class ServerOptionsSecretsTest {
  @Test
  void to_string_shows_neither_tokens_nor_the_environment() {
    String token = "tok-3c1f9a-canary";
    String secret = "env-secret-7d2e-canary";
    ServerOptions o =
        new ServerOptions(
            "127.0.0.1",
            8080,
            Path.of("/tmp/weir-home"),
            null,
            null,
            List.of(token),
            null,
            null,
            null,
            null,
            null,
            Map.of("WEIR_SECRET_DB", secret),
            null,
            null,
            null,
            null);
    String text = o.toString();
    assertThat(text).doesNotContain(token).doesNotContain(secret);
    assertThat(text).contains("tokens=1 (not shown)").contains("variables (not shown)");
  }
}
