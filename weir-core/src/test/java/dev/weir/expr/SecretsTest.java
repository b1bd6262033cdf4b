package dev.weir.expr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {
  @TempDir Path dir;

  @Test
  void secrets_of_the_environment_and_the_directory_are_masked_before_anyone_asks_for_them()
      throws Exception {
    Files.writeString(dir.resolve("DB_PASSWORD"), "from-a-file-123\n");
    var masker = new Masker();
    new Secrets(Map.of("WEIR_SECRET_TOKEN", "from-the-env-456", "HOME", "/home/x"), dir, masker);
    // a task that runs `cat secrets/DB_PASSWORD` never goes through secret()
    assertThat(masker.mask("from-a-file-123 from-the-env-456 /home/x"))
        .isEqualTo(Masker.MASK + " " + Masker.MASK + " /home/x");
  }
}
