package dev.weir.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.expr.Masker;
import dev.weir.server.ServerFixture;
import dev.weir.server.WeirServer;
import dev.weir.testing.TestTasks;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code /metrics} is written: formats, servers sharing a JVM, masked labels. */
class ExpositionTest {
  static final String TWO_TASKS =
      """
      id: metered
      namespace: shop.sales
      tasks:
        - {id: extract, type: test.ok, values: {rows: 42}, pool: warehouse}
        - {id: load, type: test.ok, dependsOn: [extract]}
      """;

  @TempDir Path dir;
  ServerFixture fx;
  ServerFixture other;

  @BeforeEach
  void reset() {
    TestTasks.reset();
  }

  @AfterEach
  void stop() {
    for (ServerFixture f : new ServerFixture[] {fx, other}) {
      if (f != null) {
        f.close();
      }
    }
  }

  private ServerFixture server(Path home, Map<String, String> env) throws Exception {
    var f = new ServerFixture(home);
    f.writeFlow("metered.yaml", TWO_TASKS);
    f.server =
        WeirServer.start(
            f.options().withPools(Map.of("warehouse", 2)).withEnvironment(env, null), t -> {});
    return f;
  }

  private void run(ServerFixture f) {
    var r = f.post("/flows/shop.sales/metered/runs", "{}");
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    f.awaitRun(r.json().path("runId").asText());
  }

  @Test
  void openmetrics_when_the_scraper_asks_for_it_and_the_text_format_otherwise() throws Exception {
    fx = server(dir, Map.of());
    run(fx);

    var om = Scrape.get(fx, "application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(om.headers().get("content-type"))
        .containsExactly("application/openmetrics-text; version=1.0.0; charset=utf-8");
    // OpenMetrics names a counter's family without _total and its samples with it; it ends in EOF
    assertThat(om.body())
        .contains("# TYPE weir_runs counter\n")
        .contains(
            "weir_runs_total{flow=\"metered\",namespace=\"shop.sales\",state=\"SUCCEEDED\"} 1")
        .contains("# TYPE weir_build info\n")
        .contains("# TYPE weir_task_duration_seconds histogram\n")
        .contains("# TYPE jvm_memory_used_bytes gauge\n")
        .endsWith("# EOF\n");

    // the text format for Prometheus' own Accept header, for none, and for a browser's
    String prometheus =
        "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1";
    for (String accept : new String[] {null, "*/*", "text/html,application/xhtml+xml"}) {
      var text = Scrape.get(fx, accept);
      assertThat(text.headers().get("content-type"))
          .as(accept)
          .containsExactly("text/plain; version=0.0.4; charset=utf-8");
      assertThat(text.body()).contains("# TYPE weir_runs_total counter\n").doesNotContain("# EOF");
    }
    assertThat(Scrape.get(fx, prometheus).headers().get("content-type").get(0))
        .startsWith("application/openmetrics-text");
    // protobuf (Prometheus with native histograms) is not shipped: the text format instead
    var proto =
        Scrape.get(
            fx,
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                + "encoding=delimited;q=0.8,text/plain;version=0.0.4;q=0.3");
    assertThat(proto.headers().get("content-type"))
        .containsExactly("text/plain; version=0.0.4; charset=utf-8");
    new Scrape(proto.body());
  }

  @Test
  void servers_in_one_jvm_count_their_own_runs_and_share_the_jvm_metrics() throws Exception {
    fx = server(dir.resolve("a"), Map.of());
    other = server(dir.resolve("b"), Map.of());
    run(fx);
    run(fx);
    run(other);

    Scrape a = Scrape.of(fx);
    Scrape b = Scrape.of(other);
    assertThat(a.value("weir_runs_total", "flow", "metered", "state", "SUCCEEDED")).isEqualTo(2);
    assertThat(b.value("weir_runs_total", "flow", "metered", "state", "SUCCEEDED")).isEqualTo(1);
    assertThat(a.value("jvm_memory_used_bytes", "area", "heap")).isPositive();
    assertThat(b.value("jvm_memory_used_bytes", "area", "heap")).isPositive();
    for (String jvm : List.of("jvm_threads_current", "jvm_classes_currently_loaded")) {
      assertThat(a.value(jvm)).as(jvm).isPositive();
      assertThat(b.value(jvm)).as(jvm).isPositive();
    }
  }

  @Test
  void label_values_holding_a_secret_are_masked() throws Exception {
    // a secret that happens to be a pool name and a task id (known from the start)
    fx = server(dir, Map.of("WEIR_SECRET_POOL", "warehouse", "WEIR_SECRET_TASK", "extract"));
    run(fx);
    Scrape m = Scrape.of(fx);
    assertThat(m.text).doesNotContain("warehouse").doesNotContain("extract");
    assertThat(m.value("weir_pool_size", "pool", Masker.MASK)).isEqualTo(2);
    assertThat(m.value("weir_rows_total", "task", Masker.MASK)).isEqualTo(42);
    assertThat(
            m.value("weir_task_duration_seconds_count", "task", Masker.MASK, "state", "SUCCEEDED"))
        .isEqualTo(1);
    assertThat(m.value("weir_task_runs_total", "task", "load", "state", "SUCCEEDED")).isEqualTo(1);

    // one the masker learns after the series were made is masked from then on
    fx.server.engine().masker().register("shop.sales");
    Scrape later = Scrape.of(fx);
    assertThat(later.text).doesNotContain("shop.sales");
    assertThat(later.value("weir_runs_total", "namespace", Masker.MASK)).isEqualTo(1);
    assertThat(later.find("weir_task_runs_total", "state", "SUCCEEDED")).hasSize(2);

    // two series that masking makes alike: the first is served (two would break the scrape)
    fx.server.engine().masker().register("load");
    Scrape alike = Scrape.of(fx);
    assertThat(alike.text).doesNotContain("\"load\"");
    assertThat(alike.find("weir_task_runs_total", "state", "SUCCEEDED")).hasSize(1);
  }
}
