package dev.weir.server.staging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.server.ServerFixture;
import dev.weir.staging.StagingGc;
import dev.weir.testing.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server applies the staging policy of its flows' weir.yaml when runs end and on a timer. */
class StagingRetentionServerTest {
  @TempDir Path dir;
  ServerFixture fx;
  final SettableClock clock = SettableClock.at("2026-03-01T08:00:00Z");

  @AfterEach
  void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  private String run() {
    var r = fx.post("/flows/shop/hello/runs", "{}");
    assertThat(r.status()).isEqualTo(202);
    String id = r.json().path("runId").asText();
    fx.awaitRun(id);
    return id;
  }

  /** What a data task would have left behind (test.ok stages nothing itself). */
  private Path stage(String runId) throws Exception {
    Path f = fx.home.resolve("staging").resolve(runId).resolve("greet/attempt-1/data.parquet");
    Files.createDirectories(f.getParent());
    Files.write(f, new byte[10]);
    return fx.home.resolve("staging").resolve(runId);
  }

  @Test
  void a_run_ending_deletes_the_staging_of_the_flows_older_runs_and_the_retention_the_rest()
      throws Exception {
    fx = new ServerFixture(dir, clock);
    Files.writeString(fx.flowsDir.resolve("weir.yaml"), "staging: {retention: 2d}\n");
    fx.writeFlow(
        "hello.yaml",
        """
        id: hello
        namespace: shop
        tasks:
          - {id: greet, type: test.ok}
        """);
    fx.start();
    assertThat(fx.server.stagingGc().policy().retention()).isEqualTo(Duration.ofDays(2));
    Path first = stage(run());
    clock.advance(Duration.ofMinutes(1));

    Path second = stage(run());

    // the sweep follows the run's end in the store: the API may answer SUCCEEDED a moment before
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(first));
    assertThat(second).isDirectory(); // the latest run of its flow
    clock.advance(Duration.ofDays(3));
    StagingGc.Swept swept = fx.server.stagingGc().sweep();
    assertThat(swept.deleted())
        .extracting(StagingGc.Entry::verdict)
        .containsExactly(StagingGc.Verdict.DELETE_EXPIRED);
    assertThat(second).doesNotExist();
  }
}
