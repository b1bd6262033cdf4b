package dev.weir.store;

/** States of a run: {@code QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED}. */
public enum RunState {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
