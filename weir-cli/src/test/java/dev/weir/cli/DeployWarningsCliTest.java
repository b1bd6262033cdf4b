package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `weir deploy` to a real `weir server` deploys a flow with warnings and prints them. */
class DeployWarningsCliTest {
  @TempDir Path dir;

  @Test
  void deploy_prints_the_servers_warnings_and_the_flow_is_deployed() throws Exception {
    Path src = dir.resolve("src/inline.yaml");
    Files.createDirectories(src.getParent());
    Files.writeString(
        src,
        """
        id: inline
        namespace: hooks
        tasks:
          - id: greet
            type: shell
            command: echo "name={{ trigger.body.name }}"
        """);
    Process server =
        Cli.child(
            dir,
            Map.of("WEIR_API_TOKENS", "tok-0123456789abcdef"),
            "server",
            "--port",
            "0",
            "--home",
            dir.resolve("home").toString(),
            "--flows",
            dir.resolve("flows").toString());
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> {
            if (!server.isAlive()) {
              throw new AssertionError(
                  "server exited: " + Files.readString(dir.resolve("child.err")));
            }
            return Files.exists(dir.resolve("child.out"))
                && Files.readString(dir.resolve("child.out")).contains("Weir server on");
          });
      Matcher m =
          Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)/api/v1")
              .matcher(Files.readString(dir.resolve("child.out")));
      assertThat(m.find()).isTrue();

      var r =
          Cli.run(
              "deploy", src.toString(), "--server", m.group(1), "--token", "tok-0123456789abcdef");

      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).contains("hooks/inline revision 1");
      assertThat(r.err())
          .isEqualTo(
              "  "
                  + src
                  + ":6:5 tasks[0].command: warning: `{{ trigger.body.name }}` is put into a"
                  + " shell script as text; a value holding `$(…)` would run as a command. Pass"
                  + " it as an environment variable: env: {NAME: \"{{ trigger.body.name }}\"} and"
                  + " use \"$NAME\" in the script, or write {{ trigger.body.name | shellQuote }}"
                  + System.lineSeparator());
    } finally {
      server.destroy();
      server.waitFor();
    }
  }
}
