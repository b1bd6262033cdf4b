package dev.weir.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's flow folder names a file that is not UTF-8 instead of skipping it in silence. */
class FlowFileEncodingServerTest {
  @TempDir Path dir;
  ServerFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void a_flow_file_that_is_not_utf8_is_listed_as_invalid_with_the_bad_byte() throws Exception {
    fx = new ServerFixture(dir);
    Path latin = fx.flowsDir.resolve("latin.yaml");
    Files.write(
        latin,
        "id: caf\u00e9\ntasks:\n  - {id: a, type: test.ok}\n"
            .getBytes(StandardCharsets.ISO_8859_1));
    fx.start();

    var invalid = fx.get("/flows").json().path("invalid");
    assertThat(invalid.size()).isEqualTo(1);
    assertThat(invalid.get(0).path("message").asText())
        .isEqualTo(
            latin.toAbsolutePath().normalize()
                + " is not UTF-8 text (byte 0xE9 at offset 7, line 1); save it as UTF-8");

    // saved again as UTF-8: the next scan loads it and the problem is gone
    Files.writeString(latin, "id: cafe\ntasks:\n  - {id: a, type: test.ok}\n");
    fx.server.watcher().scan();
    assertThat(fx.get("/flows").json().path("invalid").size()).isZero();
  }
}
