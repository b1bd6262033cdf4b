package dev.weir.task;

/**
 * How the long-running stream tasks of a run (change data capture) end: never by themselves ({@code
 * weir server}, or {@code weir run} until Ctrl-C), or once they applied everything committed before
 * they started ({@code weir run --until-caught-up}).
 */
public enum StreamMode {
  CONTINUOUS,
  UNTIL_CAUGHT_UP
}
