package dev.weir.engine;

import java.util.concurrent.CompletableFuture;

/**
 * An attempt a worker runs for another node's run: its outcome (the JSON to store with the claim's
 * token) completes when the task ends; {@link #cancel} stops it as a cancel of the run would.
 */
public final class RoutedWork {
  private final AttemptControl control;
  private final CompletableFuture<String> outcome;

  RoutedWork(AttemptControl control, CompletableFuture<String> outcome) {
    this.control = control;
    this.outcome = outcome;
  }

  /** The outcome to store, secrets masked out; it always completes normally. */
  public CompletableFuture<String> outcome() {
    return outcome;
  }

  /** Stops the task (its claim was lost, or the worker gives its work up). */
  public void cancel() {
    control.cancel();
  }
}
