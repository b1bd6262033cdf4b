package dev.weir.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.server.ServerFixture;
import dev.weir.server.metrics.PromQlNames.Selector;
import dev.weir.testing.TestTasks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/grafana/weir-dashboard.json queries only what a real server's {@code /metrics} serves. */
class DashboardTest {
  static final Path DASHBOARD = Path.of("../docs/grafana/weir-dashboard.json");
  // labels Prometheus adds to every series of a target; a server does not serve them
  static final Set<String> TARGET_LABELS = Set.of("instance", "job");
  static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)");

  @TempDir Path dir;
  ServerFixture fx;

  @BeforeEach
  void reset() {
    TestTasks.reset();
  }

  @AfterEach
  void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void every_metric_and_label_the_dashboard_queries_is_served_after_runs() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    fx = new ServerFixture(dir);
    MeteredRuns.runAll(fx);
    Scrape m = Scrape.of(fx);

    assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(39);
    JsonNode ds = variable(dashboard, "DS_PROMETHEUS");
    assertThat(ds.path("type").asText()).isEqualTo("datasource");
    assertThat(ds.path("query").asText()).isEqualTo("prometheus");

    var used = new HashSet<String>();
    List<JsonNode> panels = panels(dashboard);
    assertThat(panels).hasSizeGreaterThan(15);
    for (JsonNode panel : panels) {
      String title = panel.path("title").asText();
      assertThat(panel.path("datasource").path("uid").asText())
          .as(title)
          .isEqualTo("${DS_PROMETHEUS}");
      assertThat(panel.path("targets")).as(title).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        List<Selector> selectors = PromQlNames.selectors(expr);
        assertThat(selectors).as("%s: %s", title, expr).isNotEmpty();
        for (Selector s : selectors) {
          check(m, s, title + ": " + expr);
          used.add(s.metric());
        }
      }
    }
    for (JsonNode v : dashboard.path("templating").path("list")) {
      if (!v.path("type").asText().equals("query")) {
        continue;
      }
      String query = v.path("query").path("query").asText();
      var lv = LABEL_VALUES.matcher(query);
      assertThat(lv.matches()).as("variable %s: %s", v.path("name").asText(), query).isTrue();
      for (Selector s : PromQlNames.selectors(lv.group(1))) {
        check(m, s, query);
      }
      check(
          m,
          new Selector(PromQlNames.selectors(lv.group(1)).get(0).metric(), Set.of(lv.group(2))),
          query);
    }

    // the panels the dashboard promises
    assertThat(used)
        .contains(
            "weir_runs_total",
            "weir_task_runs_total",
            "weir_run_duration_seconds_bucket",
            "weir_task_duration_seconds_bucket",
            "weir_runs_queued",
            "weir_tasks_queued",
            "weir_schedule_lag_seconds",
            "weir_pool_in_use",
            "weir_pool_size",
            "weir_circuit_breaker_state",
            "jvm_memory_used_bytes",
            "jvm_gc_collection_seconds_sum");
  }

  /** The metric is served, as a family or a histogram's or summary's series; so are its labels. */
  private static void check(Scrape m, Selector s, String where) {
    String name = s.metric();
    assertThat(m.sampleNames()).as("%s: /metrics serves %s", where, name).contains(name);
    String family = name;
    if (!m.types.containsKey(name)) {
      family = name.replaceFirst("_(bucket|sum|count)$", "");
      assertThat(m.types.get(family))
          .as("%s: %s is a series of a histogram or summary", where, name)
          .isIn(name.endsWith("_bucket") ? List.of("histogram") : List.of("histogram", "summary"));
    }
    var served = new HashSet<String>();
    m.find(name).forEach(sample -> served.addAll(sample.labels().keySet()));
    for (String label : s.labels()) {
      if (!TARGET_LABELS.contains(label)) {
        assertThat(served).as("%s: %s has the label %s", where, name, label).contains(label);
      }
    }
  }

  private static JsonNode variable(JsonNode dashboard, String name) {
    for (JsonNode v : dashboard.path("templating").path("list")) {
      if (v.path("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no variable " + name);
  }

  /** Panels with queries, also those inside collapsed rows. */
  private static List<JsonNode> panels(JsonNode dashboard) {
    var out = new ArrayList<JsonNode>();
    for (JsonNode p : dashboard.path("panels")) {
      if (p.path("type").asText().equals("row")) {
        p.path("panels").forEach(out::add);
      } else {
        out.add(p);
      }
    }
    return out;
  }

  @Test
  void the_tokenizer_finds_metrics_not_functions_labels_durations_or_variables() {
    assertThat(
            PromQlNames.selectors(
                "histogram_quantile(0.95, sum by (le, flow) (rate(weir_task_duration_seconds_bucket"
                    + "{instance=~\"$instance\", flow=~\"a|b\"}[$__rate_interval])))"))
        .containsExactly(
            new Selector("weir_task_duration_seconds_bucket", Set.of("instance", "flow")));
    assertThat(
            PromQlNames.selectors(
                "count(weir_circuit_breaker_state == 2) or vector(0) + time() - 1e3 * up offset 5m"))
        .extracting(Selector::metric)
        .containsExactly("weir_circuit_breaker_state", "up");
    assertThat(
            PromQlNames.selectors(
                "sum(rate(a_total{x=\"by (y) {z}\"}[1h:5m])) without (q) / on (p) group_left b"))
        .containsExactly(new Selector("a_total", Set.of("x")), new Selector("b", Set.of()));
    assertThat(PromQlNames.selectors("max by (kind) (weir_oldest_queued_seconds)"))
        .extracting(Selector::metric)
        .containsExactly("weir_oldest_queued_seconds");
    assertThat(PromQlNames.selectors("sum(${metric}) + $x")).isEmpty();
  }
}
