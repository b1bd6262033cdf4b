package dev.weir.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.weir.server.runs.RunConsoleLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The server console's line per run start and end (issue 12), from a real server's runs. */
class RunConsoleLogTest {
  @TempDir Path dir;
  ServerFixture fx;
  final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  final Logger logger = (Logger) LoggerFactory.getLogger(RunConsoleLog.LOGGER);

  @BeforeEach
  void start() throws Exception {
    lines.start();
    logger.setLevel(Level.INFO);
    logger.addAppender(lines);
    fx = new ServerFixture(dir);
    fx.writeFlow("ok.yaml", "id: ok\nnamespace: team.a\ntasks:\n  - {id: greet, type: test.ok}\n");
    fx.writeFlow(
        "bad.yaml",
        "id: bad\nnamespace: team.a\ntasks:\n  - {id: boom, type: test.fail, message: disk full}\n");
    fx.start();
  }

  @AfterEach
  void stop() {
    fx.close();
    logger.detachAppender(lines);
    logger.setLevel(null);
  }

  private List<String> linesOf(String runId) {
    return List.copyOf(lines.list).stream()
        .filter(e -> e.getFormattedMessage().contains(runId))
        .map(e -> e.getLevel() + " " + e.getFormattedMessage())
        .toList();
  }

  private String run(String flow) {
    var r = fx.post("/flows/team.a/" + flow + "/runs", "{}");
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    String id = r.json().path("runId").asText();
    fx.awaitRun(id);
    // the end line is told after the run's end is stored, which awaitRun may see first
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> linesOf(id).stream().anyMatch(l -> l.contains("run ended")));
    return id;
  }

  @Test
  void a_run_logs_one_line_when_it_starts_and_one_with_its_state_and_duration_when_it_ends() {
    String id = run("ok");

    assertThat(linesOf(id))
        .hasSize(2)
        .satisfiesExactly(
            start -> assertThat(start).isEqualTo("INFO run started  team.a/ok  " + id + "  (api)"),
            end ->
                assertThat(end)
                    .matches(
                        "INFO run ended    team\\.a/ok  " + id + "  SUCCEEDED in \\d+\\.\\d s"));
  }

  @Test
  void a_failed_run_ends_with_the_first_line_of_its_error() {
    String id = run("bad");

    assertThat(linesOf(id)).hasSize(2);
    assertThat(linesOf(id).get(1))
        .startsWith("INFO run ended    team.a/bad  " + id + "  FAILED in ")
        .contains(": ")
        .doesNotContain("\n");
  }

  @Test
  void a_retried_run_logs_its_attempt() {
    String id = run("bad");
    assertThat(fx.post("/runs/" + id + "/retry", "").status()).isEqualTo(202);
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> linesOf(id).size() == 4);

    assertThat(linesOf(id).get(2))
        .isEqualTo("INFO run started  team.a/bad  " + id + "  (api, attempt 2)");
  }
}
