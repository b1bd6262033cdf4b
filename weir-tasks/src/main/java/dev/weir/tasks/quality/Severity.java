package dev.weir.tasks.quality;

/** What a failed check does: fail the task, or only log a warning. */
public enum Severity {
  ERROR,
  WARN
}
