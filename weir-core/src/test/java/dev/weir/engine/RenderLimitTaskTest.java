package dev.weir.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.WeirException;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunState;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.testing.EngineFixture;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task whose properties render past a limit fails at once, naming the property and limit. */
class RenderLimitTaskTest {
  @TempDir Path dir;

  private EngineFixture engine(Map<String, String> env) {
    return new EngineFixture(dir, JdbcStateStore.h2(dir.resolve(".weir")), env, RunListener.NONE);
  }

  @Test
  void a_message_past_the_size_limit_fails_the_task_without_retrying() {
    try (var fx = engine(Map.of("WEIR_RENDER_MAX_BYTES", "1KiB"))) {
      var run =
          fx.run(
              """
              id: big
              namespace: limits
              retry: {attempts: 3, delay: 1s}
              tasks:
                - id: hello
                  type: test.ok
                - id: loop
                  type: test.ok
                  message: "{% for i in range(1, 100000000) %}x{% endfor %}"
              """);

      assertThat(run.state()).isEqualTo(RunState.FAILED);
      assertThat(fx.attempts(run.id(), "loop"))
          .as("permanent: the same template passes the limit again")
          .singleElement()
          .satisfies(a -> {
            assertThat(a.state()).isEqualTo(TaskState.FAILED);
            assertThat(a.error())
                .isEqualTo(
                    "tasks[1].message: the rendered value passed 1 KiB (limit"
                        + " WEIR_RENDER_MAX_BYTES); a loop or a large value makes it this"
                        + " long: render less (pass big data as a file or a dataset), or"
                        + " raise WEIR_RENDER_MAX_BYTES (e.g. 4MiB)");
          });
    }
  }

  @Test
  void a_loop_past_the_time_limit_fails_the_task_naming_the_limit() {
    try (var fx = engine(Map.of("WEIR_RENDER_TIMEOUT", "100ms"))) {
      var run =
          fx.run(
              """
              id: slow
              namespace: limits
              tasks:
                - id: loop
                  type: test.ok
                  message: "{% for i in range(1, 100000000) %}{% endfor %}done"
              """);

      TaskRunRecord loop = fx.latest(run.id()).get("loop");
      assertThat(loop.state()).isEqualTo(TaskState.FAILED);
      assertThat(loop.error())
          .isEqualTo(
              "tasks[0].message: rendering took longer than 100ms (limit WEIR_RENDER_TIMEOUT); a"
                  + " loop in the template runs too long: loop over fewer items, or raise"
                  + " WEIR_RENDER_TIMEOUT (e.g. 30s)");
    }
  }

  @Test
  void a_bad_limit_in_the_environment_stops_the_engine_from_starting() {
    try (var store = JdbcStateStore.h2(dir.resolve(".weir"))) {
      assertThatThrownBy(() ->
              new EngineFixture(
                  dir, store, Map.of("WEIR_RENDER_MAX_BYTES", "-1"), RunListener.NONE))
          .isInstanceOf(WeirException.class)
          .hasMessage(
              "WEIR_RENDER_MAX_BYTES must be a positive size like 1048576, 512KiB or 4MiB; got '-1'");
    }
  }
}
