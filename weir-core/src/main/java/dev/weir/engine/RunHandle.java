package dev.weir.engine;

import dev.weir.store.RunRecord;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A run in progress in this process. */
public final class RunHandle {
  private final String runId;
  private final RunCoordinator coordinator;

  RunHandle(String runId, RunCoordinator coordinator) {
    this.runId = runId;
    this.coordinator = coordinator;
  }

  public String runId() {
    return runId;
  }

  /** Asks the run to stop: running tasks are interrupted, the run ends CANCELLED. */
  public void cancel(String reason) {
    coordinator.cancel(reason);
  }

  public CompletableFuture<RunRecord> completion() {
    return coordinator.completion();
  }

  /** Waits for the run to end and returns its final record. */
  public RunRecord await() {
    try {
      return coordinator.completion().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for run " + runId, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * @throws TimeoutException when the run has not ended within {@code timeout}
   */
  public RunRecord await(Duration timeout) throws TimeoutException {
    try {
      return coordinator.completion().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for run " + runId, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }
}
