package dev.weir.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.engine.RunListener;
import dev.weir.expr.Masker;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.testing.EngineFixture;
import dev.weir.testing.TestTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLogFilesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @BeforeEach
  void reset() {
    TestTasks.reset();
  }

  /** Forwards to the files listener once the engine (and its masker) exists. */
  static final class Late implements RunListener {
    volatile RunListener target = RunListener.NONE;

    @Override
    public void runChanged(RunRecord run) {
      target.runChanged(run);
    }

    @Override
    public void logged(dev.weir.store.LogLine line) {
      target.logged(line);
    }
  }

  @Test
  void every_line_of_a_run_goes_to_its_file_with_run_task_and_attempt_ids() throws Exception {
    StateStore store = JdbcStateStore.h2(dir.resolve(".weir"));
    var late = new Late();
    try (var fx =
        new EngineFixture(dir, store, Map.of("WEIR_SECRET_PASSWORD", "hunter2-secret"), late)) {
      var files = new JsonLogFiles(dir.resolve("logs"), store, fx.engine.masker());
      late.target = files;
      RunRecord run =
          fx.run(
              """
              id: logged
              namespace: shop.sales
              retry: {attempts: 2, delay: 10ms}
              tasks:
                - {id: hello, type: test.ok, message: "hello hunter2-secret"}
                - {id: flaky, type: test.flaky, failures: 1}
              """);
      files.close();
      assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);

      Path f = JsonLogFiles.file(dir.resolve("logs"), "shop.sales", "logged", run.id());
      assertThat(f).isEqualTo(dir.resolve("logs/shop.sales/logged/" + run.id() + ".jsonl"));
      List<JsonNode> lines = new ArrayList<>();
      for (String l : Files.readAllLines(f)) {
        lines.add(JSON.readTree(l));
      }
      assertThat(lines).hasSize(fx.logs(run.id()).size());
      JsonNode hello =
          lines.stream().filter(l -> l.path("task").asText().equals("hello")).findFirst().get();
      assertThat(hello.path("run_id").asText()).isEqualTo(run.id());
      assertThat(hello.path("flow").asText()).isEqualTo("shop.sales.logged");
      assertThat(hello.path("logger").asText()).isEqualTo("weir.task");
      assertThat(hello.path("attempt").asInt()).isEqualTo(1);
      assertThat(hello.path("level").asText()).isEqualTo("INFO");
      assertThat(hello.path("message").asText()).isEqualTo("hello " + Masker.MASK);
      assertThat(hello.path("@timestamp").asText()).isNotEmpty();
      assertThat(hello.properties().stream().map(java.util.Map.Entry::getKey))
          .containsExactly(
              "@timestamp", "level", "logger", "message", "run_id", "flow", "task", "attempt");
      // the engine's own line about the retry is in the file too
      assertThat(lines)
          .anyMatch(l ->
              l.path("task").asText().equals("flaky")
                  && l.path("level").asText().equals("WARN")
                  && l.path("message").asText().contains("retrying in"));
      assertThat(Files.readString(f)).doesNotContain("hunter2-secret");
    }
  }

  @Test
  void a_task_attempt_runs_with_run_flow_task_and_attempt_in_the_mdc() throws Exception {
    try (var fx = new EngineFixture(dir)) {
      RunRecord run =
          fx.run(
              """
              id: logged
              namespace: shop.sales
              retry: {attempts: 2, delay: 10ms}
              tasks:
                - {id: flaky, type: test.flaky, failures: 1}
              """);
      assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
      assertThat(TestTasks.MDC_SEEN)
          .containsExactly(
              Map.of(
                  "run_id", run.id(), "flow", "shop.sales.logged", "task", "flaky", "attempt", "1"),
              Map.of(
                  "run_id",
                  run.id(),
                  "flow",
                  "shop.sales.logged",
                  "task",
                  "flaky",
                  "attempt",
                  "2"));
    }
  }
}
