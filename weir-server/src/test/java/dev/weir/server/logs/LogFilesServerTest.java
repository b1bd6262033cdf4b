package dev.weir.server.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.logs.JsonLogFiles;
import dev.weir.server.Observability;
import dev.weir.server.ServerFixture;
import dev.weir.server.WeirServer;
import dev.weir.testing.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's JSON log files and its log retention, with a settable clock. */
class LogFilesServerTest {
  @TempDir Path dir;
  ServerFixture fx;
  final SettableClock clock = SettableClock.at("2026-03-01T08:00:00Z");

  @AfterEach
  void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  private void start() {
    fx.server =
        WeirServer.start(
            fx.options()
                .withObservability(Observability.DEFAULTS.withLogRetention(Duration.ofDays(30))),
            token -> {});
  }

  private String run() {
    var r = fx.post("/flows/shop/hello/runs", "{}");
    assertThat(r.status()).isEqualTo(202);
    String id = r.json().path("runId").asText();
    fx.awaitRun(id);
    fx.server.logFiles().orElseThrow().flush();
    return id;
  }

  private Path file(String runId) {
    return JsonLogFiles.file(fx.home.resolve("logs"), "shop", "hello", runId);
  }

  @Test
  void runs_log_to_json_files_and_retention_deletes_them_with_the_stored_lines() throws Exception {
    fx = new ServerFixture(dir, clock);
    fx.writeFlow(
        "hello.yaml",
        """
        id: hello
        namespace: shop
        tasks:
          - {id: greet, type: test.ok, message: "hello from {{ run.id }}"}
        """);
    start();
    String old = run();
    assertThat(file(old)).isEqualTo(fx.home.resolve("logs/shop/hello/" + old + ".jsonl"));
    JsonNode line = new ObjectMapper().readTree(Files.readAllLines(file(old)).get(0));
    assertThat(line.path("run_id").asText()).isEqualTo(old);
    assertThat(line.path("flow").asText()).isEqualTo("shop.hello");
    assertThat(line.path("task").asText()).isEqualTo("greet");
    assertThat(line.path("attempt").asInt()).isEqualTo(1);
    assertThat(line.path("level").asText()).isEqualTo("INFO");
    assertThat(line.path("message").asText()).isEqualTo("hello from " + old);
    assertThat(line.path("@timestamp").asText()).isEqualTo("2026-03-01T08:00:00Z");

    clock.advance(Duration.ofDays(20));
    String recent = run();
    clock.advance(Duration.ofDays(11)); // old ended 31 days ago, recent 11
    var swept = fx.server.logRetention().orElseThrow().sweep();

    assertThat(swept.storeLines()).isEqualTo(1);
    assertThat(swept.files()).isEqualTo(1);
    assertThat(file(old)).doesNotExist();
    assertThat(fx.get("/runs/" + old + "/logs").json().path("total").asInt()).isZero();
    assertThat(fx.get("/runs/" + old).json().path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(file(recent)).exists();
    assertThat(fx.get("/runs/" + recent + "/logs").json().path("total").asInt()).isEqualTo(1);

    // a server that starts sweeps at once
    fx.close();
    clock.advance(Duration.ofDays(30));
    start();
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(file(recent)));
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> fx.server.store().logs(recent, null).isEmpty());
  }
}
