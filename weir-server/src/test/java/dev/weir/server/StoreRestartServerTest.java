package dev.weir.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.StoreRetry;
import dev.weir.testing.RestartablePostgres;
import dev.weir.testing.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A server whose PostgreSQL store restarts keeps running and fires the slot it was due. */
class StoreRestartServerTest {
  @TempDir Path dir;
  final SettableClock clock = SettableClock.at("2026-03-27T12:00:00Z");

  @Test
  void the_scheduler_waits_for_a_restarting_store_and_catches_up() throws Exception {
    var logs = new ListAppender<ILoggingEvent>();
    logs.start();
    Logger retryLog = (Logger) LoggerFactory.getLogger(StoreRetry.class);
    retryLog.addAppender(logs);
    Path flows = Files.createDirectories(dir.resolve("flows"));
    Files.writeString(
        flows.resolve("hourly.yaml"),
        """
        id: hourly
        namespace: team.a
        tasks:
          - {id: work, type: test.ok}
        triggers:
          - {id: every_hour, type: schedule, cron: "0 * * * *", catchup: all}
        """);
    try (RestartablePostgres pg = RestartablePostgres.start()) {
      var options =
          new ServerOptions(
              "127.0.0.1",
              0,
              dir.resolve("home"),
              pg.url(),
              flows,
              List.of(ServerFixture.TOKEN),
              Map.of(),
              clock,
              Duration.ofMillis(100),
              Duration.ofSeconds(5),
              Map.of(),
              null);
      WeirServer server = WeirServer.start(options, token -> {});
      try {
        clock.set("2026-03-27T12:00:01Z");
        server.scheduler().tick();

        pg.stop();
        // the slot of 13:00 comes due while the store is down
        CompletableFuture<Void> back =
            CompletableFuture.runAsync(
                () -> {
                  await()
                      .atMost(Duration.ofSeconds(60))
                      .until(() ->
                          logs.list.stream()
                              .anyMatch(e -> e.getFormattedMessage().contains("trying again in")));
                  try {
                    pg.startServer();
                  } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                  }
                },
                r -> Thread.ofPlatform().daemon().start(r));
        clock.set("2026-03-27T13:00:00Z");
        server.scheduler().tick(); // waits for the store instead of failing the tick
        back.get(90, TimeUnit.SECONDS);

        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> runs(server).stream().anyMatch(r -> r.state() == RunState.SUCCEEDED));
        assertThat(runs(server))
            .extracting(r -> r.logicalDate().toString())
            .containsExactly("2026-03-27T13:00:00Z");
        var answer =
            java.net.http.HttpClient.newHttpClient()
                .send(
                    java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(
                                "http://127.0.0.1:" + server.port() + "/api/v1/flows"))
                        .header("Authorization", "Bearer " + ServerFixture.TOKEN)
                        .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("hourly");
      } finally {
        server.close();
      }
    } finally {
      retryLog.detachAppender(logs);
    }
  }

  private static List<RunRecord> runs(WeirServer server) {
    return server.store().listRuns(new StateStore.RunQuery("team.a", "hourly", null, 100));
  }
}
