package dev.weir.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.testing.PluginJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A real server with plugin jars beside its project's weir.yaml (docs/plugins.md). */
class PluginServerTest {
  @TempDir Path dir;
  ServerFixture fx;
  final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  final Logger logger = (Logger) LoggerFactory.getLogger(ServerTaskTypes.class);

  @BeforeEach
  void listen() {
    lines.start();
    logger.setLevel(Level.INFO);
    logger.addAppender(lines);
  }

  @AfterEach
  void stop() {
    if (fx != null) {
      fx.close();
    }
    logger.detachAppender(lines);
    logger.setLevel(null);
  }

  private List<String> logged() {
    return List.copyOf(lines.list).stream()
        .map(e -> e.getLevel() + " " + e.getFormattedMessage())
        .toList();
  }

  @Test
  void the_server_runs_a_plugin_task_type_and_lists_its_plugins_with_the_broken_one_skipped()
      throws Exception {
    Files.writeString(dir.resolve("weir.yaml"), "connections: {}\n");
    Path jar = PluginJars.greeter(dir.resolve("plugins/greeter.jar"), "com.acme.greet");
    Path broken = dir.resolve("plugins/broken.jar");
    Files.write(broken, new byte[] {0, 1, 2, 3});
    Path clash = PluginJars.greeter(dir.resolve("plugins/other.jar"), "test.ok");
    Path out = dir.resolve("greeting.txt");
    fx = new ServerFixture(dir);
    fx.writeFlow(
        "greet.yaml",
        """
        id: greet
        namespace: team.a
        tasks:
          - id: hello
            type: com.acme.greet
            greeting: Hi
            name: server
            path: "OUT"
        """
            .replace("OUT", out.toString()));
    fx.start();

    assertThat(logged())
        .contains("INFO plugin " + jar + ": task types com.acme.greet")
        .anySatisfy(
            l -> assertThat(l).startsWith("WARN plugin " + broken + " skipped: not a readable jar"))
        .anySatisfy(l ->
            assertThat(l)
                .startsWith("WARN plugin " + clash + " skipped: task type 'test.ok'")
                .contains("is the name of a built-in task type"));
    assertThat(fx.server.flows().all()).hasSize(1); // the flow using the plugin's type is valid

    var started = fx.post("/flows/team.a/greet/runs", "{}");
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    String runId = started.json().path("runId").asText();
    assertThat(fx.awaitRun(runId).path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(Files.readString(out)).isEqualTo("Hi, server!");
    assertThat(fx.get("/runs/" + runId + "/logs").body()).contains("greeted: Hi, server!");

    JsonNode plugins = fx.get("/plugins").json();
    assertThat(plugins.path("dirs").get(0).path("path").asText())
        .isEqualTo(dir.resolve("plugins").toString());
    assertThat(plugins.path("loaded")).hasSize(1);
    assertThat(plugins.path("loaded").get(0).path("types").get(0).path("class").asText())
        .isEqualTo("com.acme.weir.Greeter");
    assertThat(plugins.path("skipped").findValuesAsText("jar"))
        .containsExactly(broken.toString(), clash.toString());
  }

  @Test
  void without_plugins_the_listing_is_empty_and_the_openapi_document_describes_it()
      throws Exception {
    fx = new ServerFixture(dir);
    fx.start();

    JsonNode plugins = fx.get("/plugins").json();
    assertThat(plugins.path("loaded")).isEmpty();
    assertThat(plugins.path("skipped")).isEmpty();
    assertThat(fx.get("/openapi.json").json().path("paths").has("/api/v1/plugins")).isTrue();
    assertThat(logged()).isEmpty();
  }
}
