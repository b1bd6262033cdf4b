package dev.weir.server.backfills;

/** Where a backfill is: it creates runs only while RUNNING. */
public enum BackfillState {
  RUNNING,
  PAUSED,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
