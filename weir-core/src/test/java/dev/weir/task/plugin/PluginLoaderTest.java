package dev.weir.task.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.task.TaskRegistry;
import dev.weir.testing.PluginJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginLoaderTest {
  @TempDir Path dir;

  private TaskRegistry load(Path... dirs) {
    return TaskRegistry.load(
        java.util.Arrays.stream(dirs).map(d -> new PluginDir(d, "test")).toList());
  }

  private static String greeter(String cls, String type) {
    return PluginJars.greeterSource(cls, type);
  }

  @Test
  void a_plugin_jar_adds_its_task_types_to_the_registry_beside_the_built_in_ones() {
    Path jar = PluginJars.greeter(dir.resolve("plugins/greeter.jar"), "acme.greet");

    TaskRegistry registry = load(dir.resolve("plugins"));

    assertThat(registry.names()).contains("acme.greet", "test.ok");
    assertThat(registry.get("acme.greet").getClass().getName()).isEqualTo("com.acme.weir.Greeter");
    assertThat(registry.get("acme.greet").configType().getName())
        .isEqualTo("com.acme.weir.Greeter$Config");
    assertThat(registry.pluginOf("acme.greet")).get().extracting(PluginJar::jar).isEqualTo(jar);
    assertThat(registry.pluginOf("test.ok")).isEmpty();
    assertThat(registry.plugins().skipped()).isEmpty();
    // its own loader, whose parent shares Weir's API classes
    ClassLoader cl = registry.get("acme.greet").getClass().getClassLoader();
    assertThat(cl).isInstanceOf(PluginClassLoader.class);
    assertThat(cl.getParent()).isSameAs(TaskRegistry.class.getClassLoader());
  }

  @Test
  void an_absent_directory_loads_nothing_and_is_still_listed() {
    TaskRegistry registry = load(dir.resolve("nowhere"));

    assertThat(registry.plugins().dirs())
        .extracting(PluginDir::path)
        .containsExactly(dir.resolve("nowhere"));
    assertThat(registry.plugins().loaded()).isEmpty();
    assertThat(registry.plugins().skipped()).isEmpty();
  }

  @Test
  void a_file_of_garbage_is_skipped_with_its_path_and_the_next_jar_still_loads() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Files.write(
        plugins.resolve("a-broken.jar"), new byte[] {1, 2, 3, 'n', 'o', 't', 'z', 'i', 'p'});
    PluginJars.greeter(plugins.resolve("b-greeter.jar"), "acme.greet");

    TaskRegistry registry = load(plugins);

    assertThat(registry.plugins().skipped())
        .singleElement()
        .satisfies(s -> {
          assertThat(s.jar()).isEqualTo(plugins.resolve("a-broken.jar"));
          assertThat(s.message())
              .startsWith("plugin " + plugins.resolve("a-broken.jar") + " skipped: ")
              .contains("not a readable jar");
        });
    assertThat(registry.names()).contains("acme.greet");
  }

  @Test
  void a_jar_without_a_services_file_is_skipped_saying_what_to_add() {
    Path jar =
        PluginJars.builder()
            .source("com.acme.weir.Greeter", greeter("Greeter", "acme.greet"))
            .build(dir.resolve("plugins/lib.jar"));

    var skipped = load(dir.resolve("plugins")).plugins().skipped();

    assertThat(skipped)
        .singleElement()
        .satisfies(s -> {
          assertThat(s.jar()).isEqualTo(jar);
          assertThat(s.reason())
              .contains("no META-INF/services/dev.weir.task.TaskType")
              .contains("one per line");
        });
  }

  @Test
  void a_type_named_like_a_built_in_one_is_skipped_and_the_built_in_stays() {
    Path jar = PluginJars.greeter(dir.resolve("plugins/ok.jar"), "test.ok");

    TaskRegistry registry = load(dir.resolve("plugins"));

    assertThat(registry.plugins().skipped())
        .singleElement()
        .satisfies(s -> {
          assertThat(s.jar()).isEqualTo(jar);
          assertThat(s.reason())
              .contains("task type 'test.ok' (com.acme.weir.Greeter) is the name of a built-in");
        });
    assertThat(registry.get("test.ok").getClass().getName()).startsWith("dev.weir.testing.");
  }

  @Test
  void of_two_jars_with_one_type_name_the_one_found_first_wins() {
    Path first = PluginJars.greeter(dir.resolve("plugins/a.jar"), "acme.greet");
    Path second = PluginJars.greeter(dir.resolve("more/b.jar"), "acme.greet");

    TaskRegistry registry = load(dir.resolve("plugins"), dir.resolve("more"));

    assertThat(registry.pluginOf("acme.greet")).get().extracting(PluginJar::jar).isEqualTo(first);
    assertThat(registry.plugins().skipped())
        .singleElement()
        .satisfies(s -> {
          assertThat(s.jar()).isEqualTo(second);
          assertThat(s.reason()).contains("is already in " + first + ", loaded first");
        });
  }

  @Test
  void a_class_whose_dependency_is_missing_skips_the_jar_naming_the_missing_class() {
    String source =
        greeter("Greeter", "acme.greet")
            .replace("public String name() {", "public String name() {\n    new Helper();")
            .replace(
                "public final class Greeter",
                "final class Helper {}\n\npublic final class Greeter");
    Path jar =
        PluginJars.builder()
            .source("com.acme.weir.Greeter", source)
            .service("com.acme.weir.Greeter")
            .leaveOut("com.acme.weir.Helper")
            .build(dir.resolve("plugins/needs-lib.jar"));

    var skipped = load(dir.resolve("plugins")).plugins().skipped();

    assertThat(skipped)
        .singleElement()
        .satisfies(s -> {
          assertThat(s.jar()).isEqualTo(jar);
          assertThat(s.reason()).contains("a class it needs is missing: com.acme.weir.Helper");
        });
  }

  @Test
  void a_class_compiled_for_a_newer_java_skips_the_jar_saying_which_release_to_build_for() {
    Path jar =
        PluginJars.builder()
            .source("com.acme.weir.Greeter", greeter("Greeter", "acme.greet"))
            .service("com.acme.weir.Greeter")
            .classVersion(99)
            .build(dir.resolve("plugins/future.jar"));

    var skipped = load(dir.resolve("plugins")).plugins().skipped();

    assertThat(skipped)
        .singleElement()
        .satisfies(s -> {
          assertThat(s.jar()).isEqualTo(jar);
          assertThat(s.reason())
              .contains("compiled for a newer Java")
              .contains("--release " + Runtime.version().feature());
        });
  }

  @Test
  void a_services_file_naming_a_class_not_in_the_jar_skips_it() {
    Path jar =
        PluginJars.builder()
            .source("com.acme.weir.Greeter", greeter("Greeter", "acme.greet"))
            .service("com.acme.weir.Greeter")
            .service("com.acme.weir.Typo")
            .build(dir.resolve("plugins/typo.jar"));

    TaskRegistry registry = load(dir.resolve("plugins"));

    assertThat(registry.plugins().skipped())
        .singleElement()
        .satisfies(s -> {
          assertThat(s.jar()).isEqualTo(jar);
          assertThat(s.reason()).contains("com.acme.weir.Typo not found");
        });
    // all or nothing: the good class of a broken jar is not half-loaded
    assertThat(registry.names()).doesNotContain("acme.greet");
  }

  @Test
  void a_jar_may_be_named_directly_and_a_directory_listed_twice_is_searched_once() {
    Path jar = PluginJars.greeter(dir.resolve("plugins/greeter.jar"), "acme.greet");

    TaskRegistry registry =
        TaskRegistry.load(
            PluginDirs.of(
                dir,
                jar + java.io.File.pathSeparator + dir.resolve("plugins"),
                p -> dir.resolve(p)));

    assertThat(registry.plugins().dirs())
        .extracting(PluginDir::origin)
        .containsExactly("beside " + dir.resolve("weir.yaml"), "from $WEIR_PLUGINS");
    assertThat(registry.plugins().loaded()).singleElement();
    assertThat(registry.plugins().skipped()).isEmpty();
  }

  @Test
  void the_project_is_the_nearest_weir_yaml_upward() throws Exception {
    Files.writeString(dir.resolve("weir.yaml"), "");
    Path deep = Files.createDirectories(dir.resolve("flows/sales"));

    assertThat(PluginDirs.projectDir(List.of(deep))).contains(dir);
    assertThat(PluginDirs.projectDir(List.of(Path.of("/")))).isEmpty();
  }
}
