package dev.weir.bench;

import java.util.Arrays;

/**
 * When each benchmark task started and ended ({@link System#nanoTime}), kept in memory so that
 * recording costs nothing measurable. Task {@code t00042} writes slot 42.
 */
final class Timeline {
  private static volatile Timeline current = new Timeline(0);

  final long[] starts;
  final long[] ends;

  private Timeline(int tasks) {
    starts = new long[tasks];
    ends = new long[tasks];
  }

  /** Starts recording a run of {@code tasks} tasks; returns what the tasks will write. */
  static Timeline reset(int tasks) {
    current = new Timeline(tasks);
    return current;
  }

  static Timeline current() {
    return current;
  }

  static String taskId(int index) {
    return String.format("t%05d", index);
  }

  static int index(String taskId) {
    int open = taskId.indexOf('[');
    if (open >= 0) { // a forEach item's task: g[17]/t
      return Integer.parseInt(taskId, open + 1, taskId.indexOf(']', open), 10);
    }
    return Integer.parseInt(taskId, 1, taskId.length(), 10);
  }

  void started(int index, long nanos) {
    starts[index] = nanos;
  }

  void ended(int index, long nanos) {
    ends[index] = nanos;
  }

  /** Gaps between one task's end and the next one's start, in nanoseconds (a chain only). */
  long[] gaps() {
    long[] g = new long[starts.length - 1];
    for (int i = 0; i < g.length; i++) {
      g[i] = starts[i + 1] - ends[i];
    }
    return g;
  }

  boolean complete() {
    return Arrays.stream(starts).noneMatch(s -> s == 0)
        && Arrays.stream(ends).noneMatch(e -> e == 0);
  }
}
