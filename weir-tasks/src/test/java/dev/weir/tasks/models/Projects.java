package dev.weir.tasks.models;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The dbt projects of the test resources: under {@code models/}, or the jaffle shop of the
 * documented example under {@code examples/} (one copy, which the docs show and every test reads).
 */
final class Projects {
  private Projects() {}

  static Path path(String name) {
    try {
      var url = Projects.class.getResource("/models/" + name + "/dbt_project.yml");
      if (url == null) {
        url = Projects.class.getResource("/examples/" + name + "/dbt_project.yml");
      }
      return Path.of(url.toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The directory of {@code project}'s golden compiled SQL ({@code models/expected/<project>}). */
  static Path expected(String project) {
    try {
      return Path.of(Projects.class.getResource("/models/expected").toURI()).resolve(project);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static ModelCompiler compiler(String name) {
    return compiler(name, Map.of(), false);
  }

  /** DuckDB, schema main, a fixed environment (WEIR_TEST_REGION=emea). */
  static ModelCompiler compiler(String name, Map<String, Object> vars, boolean incremental) {
    DbtProject p = DbtProject.load(path(name));
    var env = Map.of("WEIR_TEST_REGION", "emea");
    return new ModelCompiler(
        p,
        CompileOptions.defaults(p).withVars(vars).withIncremental(incremental).withEnv(env::get));
  }

  /** Writes {@code text} to {@code file} (a path under {@code dir}), creating its directories. */
  static void write(Path dir, String file, String text) throws IOException {
    Path p = dir.resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }
}
