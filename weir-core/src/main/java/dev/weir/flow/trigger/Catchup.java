package dev.weir.flow.trigger;

/** What a schedule does about slots that passed while nothing looked at it. */
public enum Catchup {
  /** Fire every missed slot, oldest first. */
  ALL,
  /** Fire only the most recent missed slot. */
  LATEST,
  /** Fire no missed slot; only slots that come due while the scheduler runs. */
  NONE
}
