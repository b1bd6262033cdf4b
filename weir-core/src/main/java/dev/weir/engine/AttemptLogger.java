package dev.weir.engine;

import dev.weir.expr.Masker;
import dev.weir.store.LogLine;
import dev.weir.task.TaskLogger;
import java.time.InstantSource;

/** A task attempt's logger: masks secrets, stamps time and ids, hands lines to the sink. */
final class AttemptLogger implements TaskLogger {
  private final String runId;
  private final String taskId;
  private final int attempt;
  private final Masker masker;
  private final InstantSource clock;
  private final LogSink sink;
  private final RunListener listener;

  AttemptLogger(
      String runId,
      String taskId,
      int attempt,
      Masker masker,
      InstantSource clock,
      LogSink sink,
      RunListener listener) {
    this.runId = runId;
    this.taskId = taskId;
    this.attempt = attempt;
    this.masker = masker;
    this.clock = clock;
    this.sink = sink;
    this.listener = listener;
  }

  @Override
  public void log(Level level, String message) {
    var line =
        new LogLine(runId, taskId, attempt, clock.instant(), level.name(), masker.mask(message));
    sink.add(line);
    listener.logged(line);
  }
}
