package dev.weir.tasks.models;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The DAG of a dbt project: models, seeds, tests and sources, edges from {@code ref}, {@code
 * source} and test attachment. Refuses cycles, naming them. Ephemeral models stay in the graph
 * (selection and lineage see them) though they never run on their own.
 */
public final class ModelGraph {
  private final Map<String, GraphNode> nodes;
  private final Map<String, List<String>> children = new HashMap<>();
  private final List<String> order;

  public ModelGraph(Collection<GraphNode> all) {
    this.nodes = new LinkedHashMap<>();
    all.forEach(n -> nodes.put(n.id(), n));
    for (GraphNode n : all) {
      for (String p : n.dependsOn()) {
        children.computeIfAbsent(p, k -> new ArrayList<>()).add(n.id());
      }
    }
    this.order = topological();
  }

  public GraphNode node(String id) {
    return nodes.get(id);
  }

  public Collection<GraphNode> nodes() {
    return nodes.values();
  }

  /** Every node in an order where parents come first (ties by id, so the order is stable). */
  public List<GraphNode> inOrder() {
    return order.stream().map(nodes::get).toList();
  }

  /** {@code ids} in DAG order. */
  public List<GraphNode> inOrder(Set<String> ids) {
    return order.stream().filter(ids::contains).map(nodes::get).toList();
  }

  public List<String> parents(String id) {
    GraphNode n = nodes.get(id);
    return n == null ? List.of() : n.dependsOn();
  }

  public List<String> children(String id) {
    return children.getOrDefault(id, List.of());
  }

  /**
   * The ancestors ({@code up}) or descendants of {@code id} within {@code depth} steps (-1: all).
   */
  public Set<String> reach(String id, boolean up, int depth) {
    Set<String> seen = new HashSet<>();
    Deque<String[]> todo = new ArrayDeque<>();
    todo.add(new String[] {id, "0"});
    while (!todo.isEmpty()) {
      String[] cur = todo.poll();
      int d = Integer.parseInt(cur[1]);
      if (depth >= 0 && d >= depth) {
        continue;
      }
      for (String next : up ? parents(cur[0]) : children(cur[0])) {
        if (nodes.containsKey(next) && seen.add(next)) {
          todo.add(new String[] {next, String.valueOf(d + 1)});
        }
      }
    }
    return seen;
  }

  /** Kahn's algorithm level by level: each node one level below its deepest parent, ids sorted. */
  private List<String> topological() {
    Map<String, Integer> pending = new HashMap<>();
    for (GraphNode n : nodes.values()) {
      pending.put(n.id(), (int) n.dependsOn().stream().filter(nodes::containsKey).count());
    }
    TreeSet<String> level = new TreeSet<>();
    pending.forEach((id, c) -> {
      if (c == 0) {
        level.add(id);
      }
    });
    List<String> out = new ArrayList<>();
    while (!level.isEmpty()) {
      TreeSet<String> next = new TreeSet<>();
      for (String id : level) {
        out.add(id);
        for (String c : children(id)) {
          if (pending.merge(c, -1, Integer::sum) == 0) {
            next.add(c);
          }
        }
      }
      level.clear();
      level.addAll(next);
    }
    if (out.size() < nodes.size()) {
      throw cycle(new HashSet<>(out));
    }
    return out;
  }

  /** Finds one cycle among the nodes not ordered and names it: a → b → a. */
  private ModelsException cycle(Set<String> done) {
    String start =
        nodes.keySet().stream().filter(id -> !done.contains(id)).sorted().findFirst().orElseThrow();
    List<String> path = new ArrayList<>();
    String cur = start;
    while (!path.contains(cur)) {
      path.add(cur);
      String here = cur;
      cur =
          nodes.get(here).dependsOn().stream()
              .filter(p -> nodes.containsKey(p) && !done.contains(p))
              .sorted()
              .findFirst()
              .orElseThrow();
    }
    List<String> loop = new ArrayList<>(path.subList(path.indexOf(cur), path.size()));
    java.util.Collections.reverse(loop); // parents first: a → b means b refs a
    String least =
        loop.stream().min(java.util.Comparator.comparing(id -> nodes.get(id).name())).orElseThrow();
    java.util.Collections.rotate(loop, -loop.indexOf(least));
    loop.add(loop.get(0));
    GraphNode first = nodes.get(loop.get(0));
    return new ModelsException(
        first.path(),
        0,
        "models form a cycle: "
            + String.join(" → ", loop.stream().map(id -> nodes.get(id).name()).toList())
            + "; a model cannot (indirectly) ref itself, remove one of these ref() calls");
  }
}
