package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.PluginJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `weir server` in a child JVM with a project's plugin jars, as an operator starts it. */
class PluginServerCliTest {
  private static final String TOKEN = "tok-0123456789abcdef";

  @TempDir Path dir;

  @Test
  void the_server_process_loads_the_projects_plugins_and_runs_a_flow_that_uses_one()
      throws Exception {
    Path project = dir.resolve("shop");
    Files.createDirectories(project.resolve("flows"));
    Files.writeString(project.resolve("weir.yaml"), "connections: {}\n");
    Path jar = PluginJars.greeter(project.resolve("plugins/greeter.jar"), "com.acme.greet");
    Path broken = project.resolve("plugins/broken.jar");
    Files.writeString(broken, "not a jar");
    Path out = dir.resolve("greeting.txt");
    Files.writeString(
        project.resolve("flows/greet.yaml"),
        "id: greet\nnamespace: shop\ntasks:\n"
            + "  - {id: hello, type: com.acme.greet, name: operator, path: \""
            + out
            + "\"}\n");

    Process server =
        Cli.child(
            dir,
            Map.of("WEIR_API_TOKENS", TOKEN),
            "server",
            "--port",
            "0",
            "--home",
            dir.resolve("home").toString(),
            "--flows",
            project.resolve("flows").toString());
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> {
            if (!server.isAlive()) {
              throw new AssertionError(
                  "server exited: " + Files.readString(dir.resolve("child.err")));
            }
            return Files.exists(dir.resolve("child.out"))
                && Files.readString(dir.resolve("child.out")).contains("Plugin ");
          });
      String console = Files.readString(dir.resolve("child.out"));
      assertThat(console).contains("Plugin " + jar + ": com.acme.greet");
      assertThat(Files.readString(dir.resolve("child.err")))
          .contains("WARN")
          .contains("plugin " + broken + " skipped: not a readable jar");

      Matcher m = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)/api/v1").matcher(console);
      assertThat(m.find()).isTrue();
      var api = new ApiClient(m.group(1), TOKEN);
      String runId =
          api.post("/flows/shop/greet/runs", "{}", "application/json").path("runId").asText();
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> api.get("/runs/" + runId).path("state").asText().equals("SUCCEEDED"));
      assertThat(Files.readString(out)).isEqualTo("Hello, operator!");
      assertThat(api.get("/plugins").path("skipped").get(0).path("jar").asText())
          .isEqualTo(broken.toString());
    } finally {
      server.destroy();
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }
}
