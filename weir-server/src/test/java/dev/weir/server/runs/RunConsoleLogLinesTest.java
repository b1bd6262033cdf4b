package dev.weir.server.runs;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.weir.expr.Masker;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The lines {@link RunConsoleLog} writes for what the engine tells it, one change at a time. */
class RunConsoleLogLinesTest {
  static final Instant T0 = Instant.parse("2026-12-02T21:04:05.123Z");

  final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  final Logger logger = (Logger) LoggerFactory.getLogger(RunConsoleLog.LOGGER);
  final Masker masker = new Masker();
  final RunConsoleLog console = new RunConsoleLog(masker);

  @BeforeEach
  void capture() {
    lines.start();
    logger.setLevel(Level.INFO);
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
    logger.setLevel(null);
  }

  List<String> messages() {
    return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  static RunRecord run(RunState state, Instant started, Instant ended, String error) {
    return new RunRecord(
        "run_1",
        "team.a",
        "orders",
        "rev",
        null,
        state,
        "{}",
        null,
        "schedule",
        1,
        T0,
        started,
        ended,
        error,
        null);
  }

  @Test
  void a_run_told_many_times_that_it_goes_on_starts_once_and_ends_once() {
    RunRecord going = run(RunState.RUNNING, T0, null, null);
    console.runChanged(going);
    console.runChanged(going);
    console.runChanged(
        going.ended(RunState.SUCCEEDED, T0.plus(Duration.ofMinutes(3).plusSeconds(5)), null));
    console.runChanged(going.ended(RunState.SUCCEEDED, T0.plusSeconds(185), null));

    assertThat(messages())
        .containsExactly(
            "run started  team.a/orders  run_1  (schedule)",
            "run ended    team.a/orders  run_1  SUCCEEDED in 3 min 05 s");
  }

  @Test
  void a_queued_run_cancelled_ends_without_having_started() {
    console.runChanged(run(RunState.QUEUED, null, null, null));
    console.runChanged(run(RunState.CANCELLED, null, T0.plusSeconds(2), "cancelled over the API"));

    assertThat(messages())
        .containsExactly("run ended    team.a/orders  run_1  CANCELLED in 0 s (never started)");
  }

  @Test
  void a_failed_runs_error_is_one_line_with_its_secrets_masked() {
    masker.register("hunter22");
    console.runChanged(run(RunState.RUNNING, T0, null, null));
    console.runChanged(
        run(
            RunState.FAILED,
            T0,
            T0.plusMillis(1234),
            "task 'load' failed: login hunter22 refused\n\tat some.Trace(Trace.java:1)"));

    assertThat(messages().get(1))
        .isEqualTo(
            "run ended    team.a/orders  run_1  FAILED in 1.2 s: task 'load' failed: login ******"
                + " refused");
  }

  @Test
  void durations_read_in_seconds_minutes_or_hours() {
    assertThat(RunConsoleLog.took(run(RunState.SUCCEEDED, T0, T0.plusMillis(400), null)))
        .isEqualTo("0.4 s");
    assertThat(RunConsoleLog.took(run(RunState.SUCCEEDED, T0, T0.plusSeconds(59), null)))
        .isEqualTo("59.0 s");
    assertThat(RunConsoleLog.took(run(RunState.SUCCEEDED, T0, T0.plusSeconds(7260), null)))
        .isEqualTo("2 h 01 min");
  }
}
