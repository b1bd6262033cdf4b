package dev.weir.server.runs;

import dev.weir.engine.RunListener;
import dev.weir.expr.Masker;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One console line when a run starts and one when it ends, so the server's console says what it
 * runs (issue 12):
 *
 * <pre>
 * run started  team.a/orders  run_01JD…  (schedule)
 * run ended    team.a/orders  run_01JD…  SUCCEEDED in 1.2 s
 * </pre>
 *
 * <p>Its logger is {@value #LOGGER}, short on the console and turned on by {@code weir server}
 * alone. The engine tells a run that goes on after every change: the set of runs going keeps it to
 * one start line each.
 */
public final class RunConsoleLog implements RunListener {
  public static final String LOGGER = "weir.runs";
  private static final Logger log = LoggerFactory.getLogger(LOGGER);
  private static final int MAX_ERROR = 200;

  private final Set<String> going = ConcurrentHashMap.newKeySet();
  private final Masker masker;

  public RunConsoleLog(Masker masker) {
    this.masker = masker;
  }

  @Override
  public void runChanged(RunRecord run) {
    if (run.state() == RunState.RUNNING) {
      if (going.add(run.id())) {
        log.info(
            "run started  {}  {}  ({}{})",
            flow(run),
            run.id(),
            run.trigger() == null ? "manual" : run.trigger(),
            run.attempt() > 1 ? ", attempt " + run.attempt() : "");
      }
    } else if (run.state().isTerminal()) {
      // a queued run that is cancelled ends without having started
      if (going.remove(run.id()) || run.startedAt() == null) {
        log.info(
            "run ended    {}  {}  {} in {}{}",
            flow(run),
            run.id(),
            run.state(),
            took(run),
            why(run));
      }
    }
  }

  private static String flow(RunRecord run) {
    return run.namespace() + "/" + run.flowId();
  }

  /** {@code 0.4 s}, {@code 12.0 s}, {@code 3 min 05 s}, {@code 2 h 01 min}. */
  static String took(RunRecord run) {
    if (run.startedAt() == null || run.endedAt() == null) {
      return "0 s (never started)";
    }
    Duration d = Duration.between(run.startedAt(), run.endedAt());
    long s = d.toSeconds();
    if (s < 60) {
      return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }

  /** The first line of a failed run's error, its secrets masked. */
  private String why(RunRecord run) {
    if (run.state() != RunState.FAILED || run.error() == null || run.error().isBlank()) {
      return "";
    }
    String first = masker.mask(run.error()).strip().lines().findFirst().orElse("");
    return ": " + (first.length() > MAX_ERROR ? first.substring(0, MAX_ERROR) + "…" : first);
  }
}
