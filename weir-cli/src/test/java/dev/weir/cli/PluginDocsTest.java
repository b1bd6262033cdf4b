package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.PluginJars;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/plugins.md works as written: its plugin is built from the page's source, packaged with the
 * page's services file and run by the page's flow; its test class compiles and passes.
 */
class PluginDocsTest {
  private static final Path PAGE = Path.of("../docs/plugins.md");

  @TempDir Path dir;
  String page;

  @BeforeEach
  void read() throws Exception {
    page = Files.readString(PAGE);
  }

  private List<String> blocks(String lang) {
    Matcher m = Pattern.compile("(?s)```" + lang + "\\n(.*?)```").matcher(page);
    var out = new ArrayList<String>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** The first {@code lang} block that starts with {@code start} (the page has other snippets). */
  private String block(String lang, String start) {
    return blocks(lang).stream()
        .filter(b -> b.startsWith(start))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no ```" + lang + " block starting " + start));
  }

  private Path buildPlugin(Path jar) {
    String services =
        page.split("META-INF/services/dev.weir.task.TaskType`, one class per line:")[1];
    String className = services.split("```")[1].strip();
    assertThat(className).isEqualTo("com.acme.weir.MarkerTask");
    return PluginJars.builder()
        .source(className, block("java", "package com.acme.weir;"))
        .service(className)
        .build(jar);
  }

  @Test
  void the_guides_plugin_runs_the_guides_flow_from_a_projects_plugins_folder() throws Exception {
    Path project = dir.resolve("my-project");
    Files.createDirectories(project.resolve("flows"));
    Files.writeString(project.resolve("weir.yaml"), "connections: {}\n");
    buildPlugin(project.resolve("plugins/acme-marker-1.0.jar"));
    Files.writeString(project.resolve("flows/export_orders.yaml"), blocks("yaml").get(0));

    Cli.Result r =
        Cli.run(Cli.at(project, dir, Map.of()), "run", "flows/export_orders.yaml", "--json");

    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    Path marker = project.resolve("flows/exports/orders/_SUCCESS");
    String runId =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).path("runId").asText();
    assertThat(marker).hasContent(runId);
    Cli.Result listed = Cli.run(Cli.at(project, dir, Map.of()), "plugins");
    assertThat(listed.out()).contains("com.acme.marker  com.acme.weir.MarkerTask");
  }

  @Test
  void the_guides_test_class_compiles_against_weirs_fixtures_and_passes() throws Exception {
    Path plugin = buildPlugin(dir.resolve("marker.jar"));
    String test =
        """
        import static org.assertj.core.api.Assertions.assertThat;

        import dev.weir.store.RunRecord;
        import dev.weir.store.RunState;
        import dev.weir.testing.EngineFixture;
        import java.nio.file.Files;
        import java.nio.file.Path;
        import org.junit.jupiter.api.Test;
        import org.junit.jupiter.api.io.TempDir;

        """
            + block("java", "class MarkerTaskTest");
    Path tests =
        PluginJars.builder()
            .source("MarkerTaskTest", test)
            .classPath(System.getProperty("java.class.path"), plugin.toString())
            .build(dir.resolve("marker-tests.jar"));

    ClassLoader before = Thread.currentThread().getContextClassLoader();
    try (var loader =
        new URLClassLoader(
            new URL[] {plugin.toUri().toURL(), tests.toUri().toURL()},
            getClass().getClassLoader())) {
      // EngineFixture finds task types as Weir does: through the ServiceLoader of this loader
      Thread.currentThread().setContextClassLoader(loader);
      Class<?> cls = loader.loadClass("MarkerTaskTest");
      int ran = 0;
      for (Method m : cls.getDeclaredMethods()) {
        if (!m.isAnnotationPresent(Test.class)) {
          continue;
        }
        var ctor = cls.getDeclaredConstructor();
        ctor.setAccessible(true);
        Object instance = ctor.newInstance();
        Field d = cls.getDeclaredField("dir");
        d.setAccessible(true);
        d.set(instance, Files.createDirectories(dir.resolve("test-" + m.getName())));
        m.setAccessible(true);
        m.invoke(instance);
        ran++;
      }
      assertThat(ran).isEqualTo(2);
    } finally {
      Thread.currentThread().setContextClassLoader(before);
    }
  }
}
