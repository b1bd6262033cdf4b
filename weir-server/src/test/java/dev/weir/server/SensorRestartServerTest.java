package dev.weir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.testing.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wait.file sensor that waits across a server restart: the first server stores it WAITING with
 * its next check and stops; the next server resumes the run and checks at the stored time, in the
 * same attempt.
 */
class SensorRestartServerTest {
  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  @TempDir Path dir;
  private final SettableClock clock = new SettableClock(T0);
  private ServerFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  private JsonNode task(String runId) {
    return fx.get("/runs/" + runId).json().path("tasks").get(0);
  }

  @Test
  void a_sensor_waits_across_a_server_restart() throws Exception {
    fx = new ServerFixture(dir, clock);
    fx.writeFlow(
        "arrivals.yaml",
        """
        id: arrivals
        namespace: shop
        tasks:
          - id: arrived
            type: wait.file
            path: in/ready.csv
            interval: 1h
            timeout: 1d
        """);
    fx.start();
    String runId = fx.post("/flows/shop/arrivals/runs", "{}").json().path("runId").asText();
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> task(runId).path("state").asText().equals("WAITING"));
    JsonNode reasons = fx.get("/runs/" + runId + "/waiting").json().path("tasks").path("arrived");
    assertThat(reasons.get(0).path("kind").asText()).isEqualTo("sensor");
    assertThat(reasons.get(0).path("until").asText()).isEqualTo(T0.plusSeconds(3600).toString());
    assertThat(fx.get("/runs/" + runId + "/logs").json().path("lines").toString())
        .contains("wait.file: no file matches in/ready.csv; next check in 1h");

    fx.close(); // the sensor holds no thread; the run is left RUNNING for the next server
    fx = null;

    Files.createDirectories(dir.resolve("flows/in"));
    Files.writeString(dir.resolve("flows/in/ready.csv"), "id\n1\n");
    clock.set(T0.plus(Duration.ofHours(1)).plusSeconds(1)); // the stored next check has passed
    fx = new ServerFixture(dir, clock).start();
    JsonNode run = fx.awaitRun(runId);
    assertThat(run.path("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    JsonNode arrived = run.path("tasks").get(0);
    assertThat(arrived.path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(arrived.path("attempts")).hasSize(1); // one attempt, waiting across the restart
    assertThat(arrived.path("outputs").toString()).contains("ready.csv");
  }
}
