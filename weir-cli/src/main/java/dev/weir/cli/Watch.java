package dev.weir.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.engine.RunHandle;
import dev.weir.flow.Durations;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sun.misc.Signal;

/** Waits for a run in this process, cancels it on Ctrl-C, prints the summary. */
final class Watch {
  static final int CANCELLED = 130;

  private Watch() {}

  static int await(
      RunHandle handle, StateStore store, boolean json, PrintWriter out, String homeHint) {
    var presses = new java.util.concurrent.atomic.AtomicInteger();
    Runnable cancel =
        () -> {
          if (presses.incrementAndGet() == 1) {
            out.println("\nCancelling… (press Ctrl-C again to quit at once)");
            out.flush();
            handle.cancel("cancelled by the user (Ctrl-C)");
          } else {
            Runtime.getRuntime().halt(CANCELLED); // the run stays RUNNING: `weir resume` it
          }
        };
    installSignal("INT", cancel);
    installSignal("TERM", () -> handle.cancel("cancelled: the process was asked to stop"));
    RunRecord run = handle.await();
    List<TaskRunRecord> attempts = store.taskRuns(run.id());
    if (json) {
      out.println(toJson(run, attempts));
    } else {
      printSummary(run, attempts, out, homeHint);
    }
    out.flush();
    return switch (run.state()) {
      case SUCCEEDED -> 0;
      case CANCELLED -> CANCELLED;
      default -> Errors.FAILED;
    };
  }

  private static void installSignal(String name, Runnable action) {
    try {
      Signal.handle(new Signal(name), s -> action.run());
    } catch (IllegalArgumentException e) {
      // signal not available on this platform; the default behaviour stays
    }
  }

  static Map<String, TaskRunRecord> latest(List<TaskRunRecord> attempts) {
    var m = new LinkedHashMap<String, TaskRunRecord>();
    for (TaskRunRecord r : attempts) {
      m.merge(r.taskId(), r, (a, b) -> a.attempt() >= b.attempt() ? a : b);
    }
    return m;
  }

  static void printSummary(
      RunRecord run, List<TaskRunRecord> attempts, PrintWriter out, String homeHint) {
    Duration took =
        run.startedAt() == null || run.endedAt() == null
            ? Duration.ZERO
            : Duration.between(run.startedAt(), run.endedAt());
    out.println();
    out.printf(
        Locale.ROOT,
        "Run %s of %s.%s %s in %s%n",
        run.id(),
        run.namespace(),
        run.flowId(),
        run.state(),
        Durations.format(took));
    int w = latest(attempts).keySet().stream().mapToInt(String::length).max().orElse(4);
    for (TaskRunRecord r : latest(attempts).values()) {
      out.printf(
          Locale.ROOT,
          "  %s %-" + w + "s  %-15s tries %d  %8s  %s%n",
          Progress.symbol(r.state()),
          r.taskId(),
          r.state(),
          r.attempt(),
          r.duration() == null ? "-" : Durations.format(r.duration()),
          r.rows() >= 0 ? Progress.rows(r.rows()) : "");
    }
    if (run.state() != RunState.SUCCEEDED && run.error() != null) {
      out.println();
      out.println("Error: " + run.error());
    }
    out.println();
    out.println("Logs:    " + command() + " logs " + run.id() + homeHint);
    out.println("Details: " + command() + " runs show " + run.id() + homeHint);
    if (run.state() == RunState.FAILED || run.state() == RunState.CANCELLED) {
      out.println("Retry:   " + command() + " retry " + run.id() + homeHint);
    }
  }

  static String toJson(RunRecord run, List<TaskRunRecord> attempts) {
    ObjectMapper m = new ObjectMapper();
    ObjectNode o = m.createObjectNode();
    o.put("runId", run.id());
    o.put("namespace", run.namespace());
    o.put("flow", run.flowId());
    o.put("state", run.state().name());
    o.put("attempt", run.attempt());
    o.put("error", run.error());
    if (run.startedAt() != null && run.endedAt() != null) {
      o.put("durationMs", Duration.between(run.startedAt(), run.endedAt()).toMillis());
    }
    ArrayNode tasks = o.putArray("tasks");
    for (TaskRunRecord r : latest(attempts).values()) {
      ObjectNode t = tasks.addObject();
      t.put("id", r.taskId());
      t.put("state", r.state().name());
      t.put("attempts", r.attempt());
      if (r.duration() != null) {
        t.put("durationMs", r.duration().toMillis());
      }
      if (r.rows() >= 0) {
        t.put("rows", r.rows());
      }
      if (r.error() != null) {
        t.put("error", r.error());
      }
    }
    return o.toString();
  }

  /**
   * " --home DIR" when the commands the summary suggests would not find {@code home} by themselves
   * from where the user is (a flow of another project, an explicit --home), else "".
   */
  static String homeHint(Home home, Surroundings s) {
    Path h = home.dir();
    if (h.equals(Home.resolve(s, null, null).dir())) {
      return "";
    }
    return " --home " + (h.startsWith(s.cwd()) ? s.cwd().relativize(h) : h);
  }

  /** How the user called us: {@code ./weir} from the launcher, else {@code weir}. */
  static String command() {
    String c = System.getenv("WEIR_COMMAND");
    return c == null || c.isBlank() ? "weir" : c;
  }
}
