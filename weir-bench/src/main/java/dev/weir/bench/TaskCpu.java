package dev.weir.bench;

import dev.weir.engine.RunListener;
import dev.weir.flow.TaskDef;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU this process used while one task ran (from the coordinator's notice of its RUNNING to that of
 * its end), by thread group: what the engine's own threads (coordinator, log writer) cost beside
 * the task's thread and DuckDB's native ones.
 */
final class TaskCpu implements RunListener {
  private final String taskId;
  private double cpuAtStart = Double.NaN;
  private double cpuAtEnd = Double.NaN;
  private Map<String, Long> threadsAtStart = Map.of();
  private Map<String, Long> threadsAtEnd = Map.of();

  TaskCpu(String taskId) {
    this.taskId = taskId;
  }

  @Override
  public synchronized void taskChanged(TaskDef task, TaskRunRecord r) {
    if (!r.taskId().equals(taskId)) {
      return;
    }
    if (r.state() == TaskState.RUNNING) {
      cpuAtStart = Machine.ownCpuSeconds();
      threadsAtStart = threads();
    } else if (r.state().isTerminal()) {
      cpuAtEnd = Machine.ownCpuSeconds();
      threadsAtEnd = threads();
    }
  }

  private static Map<String, Long> threads() {
    var mx = ManagementFactory.getThreadMXBean();
    var by = new TreeMap<String, Long>();
    for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = mx.getThreadCpuTime(info.getThreadId());
      if (cpu > 0) {
        by.merge(group(info.getThreadName()), cpu, Long::sum);
      }
    }
    return by;
  }

  private static String group(String name) {
    if (name.startsWith("weir-run-")) {
      return "coordinator";
    }
    if (name.startsWith("ForkJoinPool")) {
      return "virtual threads (the task)";
    }
    return name.replaceAll("[-_ ]?[0-9]+$", "");
  }

  synchronized String summary() {
    var sb = new StringBuilder();
    sb.append(
        String.format(Locale.ROOT, "CPU during the task %.0f ms:", (cpuAtEnd - cpuAtStart) * 1e3));
    long java = 0;
    for (var e : threadsAtEnd.entrySet()) {
      long d = e.getValue() - threadsAtStart.getOrDefault(e.getKey(), 0L);
      java += d;
      if (d > 5_000_000) {
        sb.append(String.format(Locale.ROOT, " %s %.0f;", e.getKey(), d / 1e6));
      }
    }
    sb.append(
        String.format(
            Locale.ROOT,
            " not Java threads (DuckDB's, GC, JIT) %.0f",
            (cpuAtEnd - cpuAtStart) * 1e3 - java / 1e6));
    return sb.toString();
  }
}
