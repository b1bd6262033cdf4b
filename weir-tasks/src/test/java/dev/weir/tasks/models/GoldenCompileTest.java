package dev.weir.tasks.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every model of the test projects compiles to the SQL in {@code expected/<project>/<model>.sql}
 * (byte for byte, but for the file's final newline). {@code -Dweir.models.regenerate=true} rewrites
 * the expected files from the current output (then read the diff before committing).
 */
class GoldenCompileTest {
  private static final boolean REGENERATE = Boolean.getBoolean("weir.models.regenerate");

  @Test
  void every_jaffle_shop_model_compiles_to_its_expected_sql() throws IOException {
    checkAll("jaffle_shop", Projects.compiler("jaffle_shop"), "");
  }

  @Test
  void every_shop_plus_model_compiles_to_its_expected_sql() throws IOException {
    checkAll("shop_plus", Projects.compiler("shop_plus"), "");
  }

  @Test
  void an_incremental_run_compiles_the_is_incremental_branch() throws IOException {
    ModelCompiler c = Projects.compiler("shop_plus", Map.of("min_amount", 5), true);
    check("shop_plus", "fct_orders", ".incremental", c.compile("fct_orders").sql());
  }

  private void checkAll(String project, ModelCompiler c, String suffix) throws IOException {
    for (String name : c.parsed().keySet()) {
      check(project, name, suffix, c.compile(name).sql());
    }
    for (SingularTest t : c.project().singularTests()) {
      check(project, t.name(), suffix, c.compileTest(t));
    }
    for (GenericTest t : c.project().genericTests()) {
      check(project, "tests/" + t.name(), suffix, c.compileTest(t));
    }
  }

  private static void check(String project, String name, String suffix, String sql)
      throws IOException {
    Path dir = Projects.expected(project);
    Path file = dir.resolve(name + suffix + ".sql");
    if (REGENERATE) {
      Path src = Path.of("src/test/resources/models/expected", project, name + suffix + ".sql");
      Files.createDirectories(src.getParent());
      Files.writeString(src, sql + "\n", StandardCharsets.UTF_8);
      return;
    }
    assertThat(file).as("expected SQL of %s", name).exists();
    assertThat(sql + "\n")
        .as("compiled SQL of %s/%s", project, name)
        .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
