package dev.weir.engine;

import dev.weir.store.TaskProcess;
import dev.weir.task.ProcessTree;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Ends the processes that attempts interrupted by a crash left running, before their tasks run
 * again: otherwise a resume starts a second copy beside the first and side effects happen twice. A
 * process counts as the recorded one only with the same pid and start time; a reused pid is left
 * alone.
 */
final class LeftoverProcesses {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  /** Where a line about one process goes: the log of the attempt that started it. */
  interface Report {
    void line(TaskProcess process, String level, String message);
  }

  private final String host;
  private final Duration grace;
  private final ZoneId zone;

  LeftoverProcesses(String host, Duration grace, ZoneId zone) {
    this.host = host;
    this.grace = grace;
    this.zone = zone;
  }

  /** Ends every one of {@code processes} still running, all at once, and reports each it found. */
  void end(List<TaskProcess> processes, Report report) {
    var threads = new ArrayList<Thread>();
    for (TaskProcess p : processes) {
      if (!p.host().equals(host)) {
        report.line(
            p,
            "WARN",
            "process "
                + p.pid()
                + " of attempt "
                + p.attempt()
                + " of task "
                + p.taskId()
                + " ran on "
                + p.host()
                + ", not on this machine ("
                + host
                + "); if it still runs there, end it by hand");
        continue;
      }
      threads.add(Thread.ofVirtual().start(() -> endOne(p, report)));
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void endOne(TaskProcess p, Report report) {
    ProcessTree.Outcome outcome = ProcessTree.end(p.pid(), p.pgid(), p.startedAt(), grace);
    String what = "process " + p.pid() + " of attempt " + p.attempt() + " of task " + p.taskId();
    String started =
        p.startedAt() == null ? "" : " (started " + TIME.format(p.startedAt().atZone(zone)) + ")";
    switch (outcome) {
      case ENDED -> report.line(p, "WARN", "ended leftover " + what + started);
      case STILL_RUNNING ->
          report.line(
              p,
              "ERROR",
              "leftover "
                  + what
                  + started
                  + " still runs after SIGTERM and SIGKILL; the task runs again beside it: end it"
                  + " by hand (kill -KILL "
                  + (p.pgid() == null ? "" : "-- -")
                  + (p.pgid() == null ? p.pid() : p.pgid())
                  + ")");
      case UNVERIFIED ->
          report.line(
              p,
              "WARN",
              what
                  + " may still run: pid "
                  + p.pid()
                  + " is alive, but without its start time it cannot be told from a reused pid,"
                  + " so it was left alone; end it by hand if it is the task's");
      case GONE, PID_REUSED -> {}
    }
  }
}
