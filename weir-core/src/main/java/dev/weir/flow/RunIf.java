package dev.weir.flow;

/** When a task runs, judged from the final states of the tasks it depends on. */
public enum RunIf {
  /** Every upstream task succeeded (or was skipped). The default. */
  SUCCESS,
  /** At least one upstream task failed; otherwise the task is skipped. */
  FAILED,
  /** Whatever happened upstream. */
  ALWAYS;

  public String yamlName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
