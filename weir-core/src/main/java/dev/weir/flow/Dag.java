package dev.weir.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The dependency graph of one phase of a flow. */
public final class Dag {
  private final Map<String, List<String>> upstream = new LinkedHashMap<>();
  private final Map<String, List<String>> downstream = new HashMap<>();

  public Dag(List<TaskDef> tasks) {
    for (TaskDef t : tasks) {
      upstream.put(t.id(), t.dependsOn());
      downstream.putIfAbsent(t.id(), new ArrayList<>());
    }
    for (TaskDef t : tasks) {
      for (String d : t.dependsOn()) {
        downstream.computeIfAbsent(d, k -> new ArrayList<>()).add(t.id());
      }
    }
  }

  public boolean contains(String id) {
    return upstream.containsKey(id);
  }

  public List<String> upstream(String id) {
    return upstream.getOrDefault(id, List.of());
  }

  public List<String> downstream(String id) {
    return downstream.getOrDefault(id, List.of());
  }

  /** Every task {@code id} waits for, directly or not. */
  public Set<String> ancestors(String id) {
    var seen = new LinkedHashSet<String>();
    var todo = new ArrayDeque<>(upstream(id));
    while (!todo.isEmpty()) {
      String x = todo.pop();
      if (seen.add(x)) {
        todo.addAll(upstream(x));
      }
    }
    return Collections.unmodifiableSet(seen);
  }

  /** A dependency cycle as {@code [a, b, c, a]}, if there is one. */
  public Optional<List<String>> findCycle() {
    var state = new HashMap<String, Integer>(); // 1 = on the stack, 2 = done
    for (String start : upstream.keySet()) {
      var path = new ArrayList<String>();
      List<String> cycle = visit(start, state, path);
      if (cycle != null) {
        return Optional.of(cycle);
      }
    }
    return Optional.empty();
  }

  private List<String> visit(String id, Map<String, Integer> state, List<String> path) {
    Integer s = state.get(id);
    if (s != null && s == 2) {
      return null;
    }
    if (s != null && s == 1) {
      var cycle = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
      cycle.add(id);
      return cycle;
    }
    if (!upstream.containsKey(id)) {
      return null; // unknown ids are reported elsewhere
    }
    state.put(id, 1);
    path.add(id);
    // follow edges in the direction a reader follows them: a task, then what it depends on
    for (String up : upstream(id)) {
      List<String> c = visit(up, state, path);
      if (c != null) {
        return c;
      }
    }
    path.remove(path.size() - 1);
    state.put(id, 2);
    return null;
  }
}
