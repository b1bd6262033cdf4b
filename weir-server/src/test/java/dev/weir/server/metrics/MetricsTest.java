package dev.weir.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.BuildInfo;
import dev.weir.server.Observability;
import dev.weir.server.ServerConfigFile;
import dev.weir.server.ServerFixture;
import dev.weir.testing.SettableClock;
import dev.weir.testing.TestTasks;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} of a real server after real runs. */
class MetricsTest {
  static final Path DOC = Path.of("../docs/metrics-and-logs.md");

  @TempDir Path dir;
  ServerFixture fx;

  @BeforeEach
  void reset() {
    TestTasks.reset();
  }

  @AfterEach
  void stop() {
    TestTasks.open("go");
    if (fx != null) {
      fx.close();
    }
  }

  private void start(SettableClock clock, Observability observability) {
    MeteredRuns.start(fx, clock, observability);
  }

  private String startRun(String flow, String body) {
    return MeteredRuns.startRun(fx, flow, body);
  }

  private Scrape scrape() {
    return Scrape.of(fx);
  }

  @Test
  void a_scrape_after_runs_counts_runs_tasks_retries_rows_and_durations() throws Exception {
    fx = new ServerFixture(dir);
    List<String> ids = MeteredRuns.runAll(fx);

    Scrape m = scrape();
    String[] metered = {"namespace", "shop.sales", "flow", "metered"};
    assertThat(m.value("weir_runs_total", with(metered, "state", "SUCCEEDED"))).isEqualTo(3);
    assertThat(m.value("weir_runs_total", with(metered, "state", "FAILED"))).isEqualTo(1);
    assertThat(m.find("weir_runs_total", with(metered, "state", "CANCELLED"))).isEmpty();
    assertThat(m.value("weir_task_retries_total", with(metered, "task", "flaky"))).isEqualTo(4);
    assertThat(m.value("weir_task_runs_total", with(metered, "task", "flaky", "state", "FAILED")))
        .isEqualTo(4);
    assertThat(
            m.value("weir_task_runs_total", with(metered, "task", "flaky", "state", "SUCCEEDED")))
        .isEqualTo(4);
    assertThat(m.value("weir_task_runs_total", with(metered, "task", "check", "state", "SKIPPED")))
        .isEqualTo(3);
    assertThat(m.value("weir_task_runs_total", with(metered, "task", "check", "state", "FAILED")))
        .isEqualTo(1);
    assertThat(m.value("weir_rows_total", with(metered, "task", "extract"))).isEqualTo(4 * 42);
    assertThat(m.value("weir_run_duration_seconds_count", with(metered, "state", "SUCCEEDED")))
        .isEqualTo(3);
    assertThat(
            m.value(
                "weir_run_duration_seconds_bucket", with(metered, "state", "FAILED", "le", "+Inf")))
        .isEqualTo(1);
    assertThat(
            m.value(
                "weir_task_duration_seconds_count",
                with(metered, "task", "extract", "state", "SUCCEEDED")))
        .isEqualTo(4);
    assertThat(m.types)
        .containsEntry("weir_runs_total", "counter")
        .containsEntry("weir_run_duration_seconds", "histogram")
        .containsEntry("weir_runs_queued", "gauge");

    // the pool is idle again; the connection that failed opened its circuit (failures: 1)
    assertThat(m.value("weir_pool_size", "pool", "warehouse")).isEqualTo(2);
    assertThat(m.value("weir_pool_in_use", "pool", "warehouse")).isZero();
    assertThat(m.value("weir_pool_waiting", "pool", "warehouse")).isZero();
    assertThat(m.value("weir_circuit_breaker_state", "connection", "source_db")).isEqualTo(2);
    assertThat(m.value("weir_runs_queued")).isZero();
    // the build, and client_java's standard JVM and process metrics
    assertThat(m.value("weir_build_info", "version", BuildInfo.current().version())).isEqualTo(1);
    assertThat(m.value("jvm_memory_used_bytes", "area", "heap")).isPositive();
    assertThat(m.value("process_start_time_seconds")).isPositive();
    assertThat(m.types).containsEntry("jvm_gc_collection_seconds", "summary");

    // labels are names from flows and config, never run ids (unbounded)
    for (Scrape.Sample s : m.samples) {
      for (String v : s.labels().values()) {
        assertThat(ids).doesNotContain(v);
        assertThat(v).doesNotContain(ids.get(0));
      }
    }
  }

  @Test
  void metrics_need_the_token_unless_made_public() throws Exception {
    fx = new ServerFixture(dir);
    start(null, null);
    var anonymous =
        fx.send(
            HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + fx.server.port() + "/metrics"))
                .GET());
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.body()).contains("metrics: {public: true}");
    fx.close();

    start(null, Observability.DEFAULTS.withMetricsPublic(true));
    var open =
        fx.send(
            HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + fx.server.port() + "/metrics"))
                .GET());
    assertThat(open.status()).isEqualTo(200);
    assertThat(open.body()).contains("# TYPE weir_runs_queued gauge");
    // the API itself still needs the token
    var api = fx.send(HttpRequest.newBuilder(fx.uri("/runs")).GET());
    assertThat(api.status()).isEqualTo(401);
  }

  @Test
  void queue_gauges_show_waiting_runs_and_tasks_and_how_long_they_waited() throws Exception {
    var clock = SettableClock.at("2026-05-01T10:00:00Z");
    fx = new ServerFixture(dir, clock);
    fx.writeFlow(
        "hold.yaml",
        """
        id: hold
        concurrency: {limit: 1, onLimit: queue}
        tasks:
          - {id: work, type: test.block, latch: go, pool: warehouse}
        """);
    fx.writeFlow(
        "other.yaml",
        """
        id: other
        tasks:
          - {id: a, type: test.block, latch: go, pool: warehouse}
          - {id: b, type: test.block, latch: go, pool: warehouse, dependsOn: []}
        """);
    start(clock, null);
    String first = startRun("default/hold", "{}");
    String second = startRun("default/hold", "{}");
    String other = startRun("default/other", "{}");
    // the pool admits at once, but each run's coordinator stores the admission (and tells the
    // metrics) later, on its own thread; a task body starts only after that: two bodies inside
    // means both admitted tasks have left weir_tasks_queued and only the waiting one is in it
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() ->
            fx.server.gates().pools().waiting("warehouse") == 1 && TestTasks.INSIDE.get() == 2);
    clock.advance(Duration.ofSeconds(90));

    Scrape m = scrape();
    assertThat(m.value("weir_runs_queued")).isEqualTo(1);
    assertThat(m.value("weir_oldest_queued_seconds", "kind", "run")).isEqualTo(90);
    assertThat(m.value("weir_tasks_queued")).isEqualTo(1);
    assertThat(m.value("weir_oldest_queued_seconds", "kind", "task")).isEqualTo(90);
    assertThat(m.value("weir_pool_in_use", "pool", "warehouse")).isEqualTo(2);
    assertThat(m.value("weir_pool_waiting", "pool", "warehouse")).isEqualTo(1);
    assertThat(m.value("weir_runs_going")).isEqualTo(2);

    TestTasks.open("go");
    for (String id : List.of(first, second, other)) {
      fx.awaitRun(id);
    }
    Scrape after = scrape();
    assertThat(after.value("weir_runs_queued")).isZero();
    assertThat(after.value("weir_tasks_queued")).isZero();
    assertThat(after.value("weir_oldest_queued_seconds", "kind", "run")).isZero();
    assertThat(after.value("weir_runs_total", "flow", "hold", "state", "SUCCEEDED")).isEqualTo(2);
  }

  @Test
  void schedule_lag_is_how_late_the_last_slot_fired() throws Exception {
    var clock = SettableClock.at("2026-05-01T10:00:00Z");
    fx = new ServerFixture(dir, clock);
    fx.writeFlow(
        "tick.yaml",
        """
        id: tick
        tasks:
          - {id: work, type: test.ok}
        triggers:
          - {id: hourly, type: schedule, cron: "0 * * * *", catchup: latest}
        """);
    start(clock, null);
    fx.server.scheduler().tick();
    assertThat(scrape().value("weir_schedule_lag_seconds")).isZero();
    clock.set("2026-05-01T11:00:07Z");
    fx.server.scheduler().tick();
    assertThat(scrape().value("weir_schedule_lag_seconds")).isEqualTo(7);
  }

  @Test
  void every_metric_is_documented_and_the_documented_config_loads() throws Exception {
    fx = new ServerFixture(dir);
    MeteredRuns.runAll(fx); // a family is served once it has a series
    // and a stream flow's task, which reports batches and a lost position, then ends
    fx.writeFlow(
        "stream.yaml",
        """
        id: cdc
        namespace: shop.streams
        tasks:
          - {id: follow, type: test.stream, lagMs: 20, succeedAfterMs: 300, losePosition: true}
        """);
    fx.server.watcher().scan();
    fx.server.streams().tick();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() ->
            fx.get("/runs?flow=shop.streams/cdc&state=SUCCEEDED").json().path("runs").size() == 1);
    String doc = Files.readString(DOC);
    Scrape m = scrape();
    assertThat(m.types).hasSizeGreaterThan(15);
    for (String family : m.types.keySet()) {
      if (!family.startsWith("weir_")) {
        continue; // the JVM's are documented as a whole (client_java's standard names)
      }
      assertThat(doc)
          .as("docs/metrics-and-logs.md documents %s", family)
          .contains("| `" + family + "` |");
    }
    var documented = Pattern.compile("\\| `(weir_[a-z_]+)` \\|").matcher(doc);
    while (documented.find()) {
      assertThat(m.types)
          .as("a scrape has %s", documented.group(1))
          .containsKey(documented.group(1));
    }
    var yaml = Pattern.compile("```yaml\n(logs:.*?)```", Pattern.DOTALL).matcher(doc);
    assertThat(yaml.find()).isTrue();
    Path config = Files.writeString(dir.resolve("server.yaml"), yaml.group(1));
    assertThat(ServerConfigFile.load(config).observability())
        .isEqualTo(new Observability(Path.of("/var/log/weir"), true, Duration.ofDays(30), false));
  }

  private static String[] with(String[] base, String... more) {
    var all = new ArrayList<String>(List.of(base));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }
}
