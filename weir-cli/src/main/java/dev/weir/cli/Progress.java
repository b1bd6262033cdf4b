package dev.weir.cli;

import dev.weir.engine.RunListener;
import dev.weir.flow.Durations;
import dev.weir.flow.TaskDef;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Live progress: one line per task state change, as it is stored. */
final class Progress implements RunListener {
  private final PrintWriter out;
  private final int width;
  private final java.util.Set<String> logTasks;
  // the run this command runs: the first one heard of. Others are its subflow runs, shown indented
  private String mainRun;
  // sensors between checks: their RUNNING for the next check is not printed again
  private final java.util.Set<String> waiting = new java.util.HashSet<>();

  /**
   * @param logTasks ids of {@code log} tasks, whose messages are shown as they are written
   *     (warnings and errors of every task are shown too)
   */
  Progress(PrintWriter out, int width, java.util.Set<String> logTasks) {
    this.out = out;
    this.width = Math.max(width, 4);
    this.logTasks = logTasks;
  }

  @Override
  public synchronized void logged(dev.weir.store.LogLine line) {
    boolean loud = line.level().equals("WARN") || line.level().equals("ERROR");
    boolean child = !isMain(line.runId());
    if (!loud && (child || !logTasks.contains(line.taskId()))) {
      return;
    }
    String prefix =
        "    " + (child ? "↳ " : "") + line.taskId() + (loud ? " " + line.level() : "") + ": ";
    String indent = " ".repeat(prefix.length());
    out.println(prefix + Progress.firstLines(line.message(), 12).replace("\n", "\n" + indent));
    out.flush();
  }

  static String firstLines(String s, int max) {
    String[] lines = s.stripTrailing().split("\n", -1);
    if (lines.length <= max) {
      return String.join("\n", lines);
    }
    return String.join("\n", java.util.Arrays.copyOf(lines, max))
        + "\n… ("
        + (lines.length - max)
        + " more lines: see `weir logs`)";
  }

  @Override
  public synchronized void taskChanged(TaskDef task, TaskRunRecord r) {
    String attempt = r.runId() + "/" + r.taskId() + "#" + r.attempt();
    boolean recheck = r.state() == TaskState.RUNNING && waiting.contains(attempt);
    if (r.state() == TaskState.WAITING) {
      waiting.add(attempt);
    } else if (r.state() != TaskState.RUNNING) {
      waiting.remove(attempt);
    }
    if (recheck) {
      return; // a sensor's next check: its WAITING line said when
    }
    String detail =
        switch (r.state()) {
          case RUNNING -> "attempt " + r.attempt();
          case WAITING -> waiting(r);
          case RETRY_WAIT ->
              "attempt "
                  + r.attempt()
                  + " in "
                  + Durations.format(Duration.between(Instant.now(), r.retryAt()).abs());
          case SUCCEEDED ->
              "attempt "
                  + r.attempt()
                  + "  "
                  + Durations.format(r.duration())
                  + (r.rows() >= 0 ? "  " + rows(r.rows()) : "");
          case FAILED, TIMED_OUT ->
              "attempt "
                  + r.attempt()
                  + "  "
                  + Durations.format(r.duration())
                  + "  "
                  + firstLine(r.error());
          case SKIPPED, UPSTREAM_FAILED, CANCELLED -> firstLine(r.error());
          default -> null;
        };
    if (detail == null) {
      return; // PENDING and QUEUED are too chatty to print
    }
    out.printf(
        Locale.ROOT,
        "  %s %-" + width + "s  %-15s %s%n",
        symbol(r.state()),
        isMain(r.runId()) ? r.taskId() : "↳ " + r.taskId(),
        r.state(),
        detail);
    out.flush();
  }

  private boolean isMain(String runId) {
    if (mainRun == null) {
      mainRun = runId;
    }
    return mainRun.equals(runId);
  }

  static String symbol(TaskState s) {
    return switch (s) {
      case SUCCEEDED -> "✔";
      case FAILED, TIMED_OUT, UPSTREAM_FAILED -> "✘";
      case RUNNING -> "▶";
      case RETRY_WAIT -> "↻";
      case WAITING -> "⏸";
      case SKIPPED, CANCELLED -> "–";
      default -> " ";
    };
  }

  /** A sensor between checks: when the next one is, and what it is waiting for. */
  static String waiting(TaskRunRecord r) {
    String next =
        r.retryAt() == null
            ? "waiting"
            : "waiting, next check in "
                + Durations.format(
                    Duration.between(Instant.now(), r.retryAt()).isNegative()
                        ? Duration.ZERO
                        : Duration.between(Instant.now(), r.retryAt()));
    return "attempt "
        + r.attempt()
        + "  "
        + next
        + (r.error() == null ? "" : "  " + firstLine(r.error()));
  }

  static String rows(long n) {
    return String.format(Locale.ROOT, "%,d rows", n);
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl) + " …";
    return line.length() > 200 ? line.substring(0, 197) + "..." : line;
  }
}
