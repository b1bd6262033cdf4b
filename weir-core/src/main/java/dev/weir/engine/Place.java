package dev.weir.engine;

import dev.weir.flow.Dag;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a task run sits: its task's id in its own list ({@code dag}), the prefix that makes its run
 * id ({@code ""} at the top, {@code group[key]/} inside a forEach item), and the place of the group
 * around it. Immutable: attempts read it from their own threads.
 */
record Place(String taskId, String prefix, Dag dag, Place outer) {
  static Place top(String taskId, Dag dag) {
    return new Place(taskId, "", dag, null);
  }

  /** The task run's id: {@code load} at the top, {@code per_day[2026-01-01]/load} in a group. */
  String runTaskId() {
    return prefix + taskId;
  }

  /** The prefixes a name is looked up under, innermost first, ending with the top's {@code ""}. */
  List<String> prefixes() {
    var out = new ArrayList<String>();
    for (Place p = this; p != null; p = p.outer) {
      out.add(p.prefix);
    }
    if (!out.get(out.size() - 1).isEmpty()) {
      out.add("");
    }
    return out;
  }

  /**
   * The run task ids of every task that runs before this one: its ancestors in its own list, and
   * those of each group around it.
   */
  Set<String> ancestorRunIds() {
    var out = new LinkedHashSet<String>();
    for (Place p = this; p != null; p = p.outer) {
      for (String a : p.dag.ancestors(p.taskId)) {
        out.add(p.prefix + a);
      }
    }
    return out;
  }

  /** The run task id {@code name} means here: a task of the same item first, then outwards. */
  String resolve(String name, java.util.function.Predicate<String> exists) {
    for (String prefix : prefixes()) {
      if (exists.test(prefix + name)) {
        return prefix + name;
      }
    }
    return name;
  }
}
