package dev.weir.engine;

import dev.weir.WeirException;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.task.ChildRun;
import dev.weir.task.TaskLogger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child run as the store knows it. Waiting follows the run's end in this process when it runs
 * here, and the store otherwise (a child queued or run by another node of a cluster), polling less
 * often the longer it waits.
 */
final class StoredChildRun implements ChildRun {
  private static final Duration FIRST_PAUSE = Duration.ofMillis(20);
  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(1);

  private final String runId;
  private final StateStore store;
  private final SubflowHost host;
  private final TaskLogger logger;

  StoredChildRun(String runId, StateStore store, SubflowHost host, TaskLogger logger) {
    this.runId = runId;
    this.store = store;
    this.host = host;
    this.logger = logger;
  }

  @Override
  public String runId() {
    return runId;
  }

  @Override
  public RunRecord run() {
    return store
        .findRun(runId)
        .orElseThrow(() -> new WeirException("child run " + runId + " is missing from the store"));
  }

  @Override
  public Outcome await() throws InterruptedException {
    long pause = FIRST_PAUSE.toMillis();
    boolean resumeTried = false;
    while (true) {
      Optional<CompletableFuture<RunRecord>> end = host.completion(runId);
      if (end.isPresent()) {
        waitFor(end.get(), pause);
      }
      RunRecord run = run();
      if (run.state().isTerminal()) {
        return outcome(run);
      }
      if (end.isEmpty() && !resumeTried && orphaned(run)) {
        resumeTried = true;
        resume(run);
      }
      if (end.isEmpty()) {
        Thread.sleep(pause);
      }
      pause = Math.min(LONGEST_PAUSE.toMillis(), pause * 2);
    }
  }

  private static void waitFor(CompletableFuture<RunRecord> end, long millis)
      throws InterruptedException {
    try {
      end.get(Math.max(millis, LONGEST_PAUSE.toMillis()), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // the store says how it ended, or that it has not
    }
  }

  // RUNNING, yet no process runs it: Weir stopped while parent and child ran
  private static boolean orphaned(RunRecord run) {
    return run.state() == RunState.RUNNING
        && (run.owner() == null || !Engine.ownerAlive(run.owner()));
  }

  private void resume(RunRecord run) {
    try {
      host.resume(run.id());
      logger.info("child run " + run.id() + " was interrupted with its parent; resumed it");
    } catch (WeirException e) {
      // another process or this one runs it already: waiting for it in the store is enough
      logger.info("child run " + run.id() + " is not resumed here: " + e.getMessage());
    }
  }

  @Override
  public void cancel(String reason) {
    try {
      host.cancel(runId, reason);
    } catch (WeirException e) {
      // it ended meanwhile
    }
  }

  private Outcome outcome(RunRecord run) {
    var latest = new LinkedHashMap<String, TaskRunRecord>();
    for (TaskRunRecord t : store.taskRuns(run.id())) {
      if (TaskRunRecord.isStepId(t.taskId())) {
        continue; // a step's outcome is its task's to tell
      }
      latest.merge(t.taskId(), t, (a, b) -> a.attempt() >= b.attempt() ? a : b);
    }
    var outputs = new LinkedHashMap<String, Map<String, Object>>();
    String failure = null;
    for (TaskRunRecord t : latest.values()) {
      if (t.state() == TaskState.SUCCEEDED) {
        outputs.put(t.taskId(), DatasetCodec.decodeOutputs(t.outputs()));
      } else if (failure == null
          && (t.state() == TaskState.FAILED || t.state() == TaskState.TIMED_OUT)) {
        failure =
            "task '"
                + t.taskId()
                + "' "
                + (t.state() == TaskState.TIMED_OUT ? "timed out" : "failed")
                + ": "
                + t.error();
      }
    }
    if (run.state() == RunState.SUCCEEDED) {
      failure = null;
    } else if (run.error() != null && !run.error().isBlank()) {
      failure = run.error();
    } else if (failure == null) {
      failure = "it ended " + run.state();
    }
    return new Outcome(run, outputs, failure);
  }
}
