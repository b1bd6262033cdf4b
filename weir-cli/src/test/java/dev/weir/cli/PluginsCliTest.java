package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.testing.PluginJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin jars in a project's plugins/ (docs/plugins.md), as `weir run` and `weir plugins` see them.
 */
class PluginsCliTest {
  @TempDir Path dir;
  Path project;
  Path out;
  Surroundings here;

  @BeforeEach
  void project() throws Exception {
    project = dir.resolve("shop");
    Files.createDirectories(project.resolve("flows"));
    Files.writeString(project.resolve("weir.yaml"), "connections: {}\n");
    out = dir.resolve("greeting.txt");
    Files.writeString(
        project.resolve("flows/greet.yaml"),
        """
        id: greet
        namespace: shop
        tasks:
          - id: hello
            type: com.acme.greet
            name: Weir
            path: "OUT"
          - id: after
            type: log
            message: "said {{ outputs.hello.text }}"
        """
            .replace("OUT", out.toString()));
    here = Cli.at(project, dir.resolve("user"), Map.of());
  }

  private Cli.Result weir(String... args) {
    return Cli.run(here, args);
  }

  @Test
  void a_flow_runs_a_task_type_of_a_jar_in_the_projects_plugins_folder() throws Exception {
    PluginJars.greeter(project.resolve("plugins/greeter.jar"), "com.acme.greet");

    Cli.Result r = weir("run", "flows/greet.yaml");

    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.err()).doesNotContain("plugin");
    assertThat(r.out()).contains("said Hello, Weir!").contains("SUCCEEDED");
    assertThat(Files.readString(out)).isEqualTo("Hello, Weir!");
    // its config record is bound like a built-in type's: an unknown key is a validation error
    Files.writeString(
        project.resolve("flows/typo.yaml"),
        "id: typo\nnamespace: shop\ntasks:\n"
            + "  - {id: hello, type: com.acme.greet, name: W, path: /tmp/x, greting: Hi}\n");
    Cli.Result typo = weir("validate", project.resolve("flows/typo.yaml").toString());
    assertThat(typo.exit()).isEqualTo(Errors.USAGE);
    assertThat(typo.err()).contains("greting");
  }

  @Test
  void weir_plugins_lists_each_jar_with_its_task_types() {
    Path jar = PluginJars.greeter(project.resolve("plugins/greeter.jar"), "com.acme.greet");

    Cli.Result r = weir("plugins");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            Plugin folders, in the order searched (the first jar to name a type wins):
              PLUGINS  (beside PROJECT/weir.yaml)

            Loaded:
              JAR
                com.acme.greet  com.acme.weir.Greeter

            1 loaded (1 task type), 0 skipped
            """
                .replace("PLUGINS", project.resolve("plugins").toString())
                .replace("PROJECT", project.toString())
                .replace("JAR", jar.toString()));
  }

  @Test
  void weir_plugins_json_lists_the_folders_the_jars_and_the_skipped_ones() throws Exception {
    Path jar = PluginJars.greeter(project.resolve("plugins/greeter.jar"), "com.acme.greet");
    Files.write(project.resolve("plugins/zz-broken.jar"), new byte[] {'P', 'K', 0, 0, 42});
    Path elsewhere = dir.resolve("elsewhere");
    var withEnv =
        Cli.at(project, dir.resolve("user"), Map.of("WEIR_PLUGINS", elsewhere.toString()));

    Cli.Result r = Cli.run(withEnv, "plugins", "--json");

    assertThat(r.exit()).isEqualTo(Errors.FAILED);
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.path("dirs")).hasSize(2);
    assertThat(json.path("dirs").get(1).path("origin").asText()).isEqualTo("from $WEIR_PLUGINS");
    assertThat(json.path("dirs").get(1).path("exists").asBoolean()).isFalse();
    JsonNode loaded = json.path("loaded").get(0);
    assertThat(loaded.path("jar").asText()).isEqualTo(jar.toString());
    assertThat(loaded.path("types").get(0).path("name").asText()).isEqualTo("com.acme.greet");
    assertThat(loaded.path("types").get(0).path("config").asText())
        .isEqualTo("com.acme.weir.Greeter$Config");
    assertThat(json.path("skipped").get(0).path("jar").asText())
        .isEqualTo(project.resolve("plugins/zz-broken.jar").toString());
  }

  @Test
  void a_broken_jar_and_a_clashing_one_are_skipped_with_their_paths_and_the_run_goes_on()
      throws Exception {
    PluginJars.greeter(project.resolve("plugins/greeter.jar"), "com.acme.greet");
    Path broken = project.resolve("plugins/broken.jar");
    Files.write(broken, "this is not a jar".getBytes());
    Path clash = PluginJars.greeter(project.resolve("plugins/my-log.jar"), "log");

    Cli.Result r = weir("run", "flows/greet.yaml");

    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(Files.readString(out)).isEqualTo("Hello, Weir!");
    assertThat(r.err())
        .contains("warning: plugin " + broken + " skipped: not a readable jar")
        .contains(
            "warning: plugin "
                + clash
                + " skipped: task type 'log' (com.acme.weir.Greeter) is the name of a built-in"
                + " task type");
    // the built-in log ran, not the plugin's
    assertThat(r.out()).contains("said Hello, Weir!");

    Cli.Result listed = weir("plugins");
    assertThat(listed.exit()).isEqualTo(Errors.FAILED);
    assertThat(listed.out())
        .contains("Skipped:\n  " + broken + "\n    not a readable jar")
        .contains("1 loaded (1 task type), 2 skipped");
  }

  @Test
  void a_type_of_a_skipped_jar_is_unknown_and_the_error_names_the_skipped_jar() throws Exception {
    Path future =
        PluginJars.builder()
            .source("com.acme.weir.Greeter", PluginJars.greeterSource("Greeter", "com.acme.greet"))
            .service("com.acme.weir.Greeter")
            .classVersion(99)
            .build(project.resolve("plugins/greeter.jar"));

    Cli.Result r = weir("validate", project.resolve("flows/greet.yaml").toString());

    assertThat(r.exit()).isEqualTo(Errors.USAGE);
    assertThat(r.err())
        .contains("warning: plugin " + future + " skipped: ")
        .contains("compiled for a newer Java")
        .contains("unknown task type 'com.acme.greet'")
        .contains("skipped plugin jars (see `weir plugins` for why): " + future);

    // --json keeps stderr empty: the skipped jar is in the document
    Cli.Result json = weir("validate", project.resolve("flows/greet.yaml").toString(), "--json");
    assertThat(json.err()).isEmpty();
    JsonNode skipped = new ObjectMapper().readTree(json.out()).path("skippedPlugins");
    assertThat(skipped.get(0).path("jar").asText()).isEqualTo(future.toString());
    assertThat(skipped.get(0).path("reason").asText()).contains("compiled for a newer Java");
  }

  @Test
  void plugins_come_from_weir_plugins_too_and_without_any_the_command_says_where_to_put_them()
      throws Exception {
    Files.delete(project.resolve("weir.yaml"));
    Cli.Result none = weir("plugins");
    assertThat(none.exit()).isZero();
    assertThat(none.out()).startsWith("No plugin folders: put plugin jars in plugins/");

    Path jar = PluginJars.greeter(dir.resolve("shared/greeter.jar"), "com.acme.greet");
    var withEnv = Cli.at(project, dir.resolve("user"), Map.of("WEIR_PLUGINS", jar.toString()));
    Cli.Result r = Cli.run(withEnv, "run", "flows/greet.yaml");
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(Files.readString(out)).isEqualTo("Hello, Weir!");
  }
}
