package dev.weir.flow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cycles of subflows that can be seen without running anything: among a set of flows (a directory
 * {@code weir validate} reads, the flows a server holds), flow A has a {@code subflow} task naming
 * B, and B one naming A (or a longer ring). A flow named by a template is not followed; the engine
 * refuses such a cycle when it runs into it.
 */
public final class SubflowCycles {
  /** The task type that runs another flow. */
  public static final String TYPE = "subflow";

  // deeper rings than this are left to the engine, which refuses nesting deeper than 10 anyway
  private static final int MAX_DEPTH = 20;

  private SubflowCycles() {}

  /** One cycle, reported at the task that closes it. */
  public record Cycle(Flow flow, TaskDef task, List<String> chain) {
    /** {@code subflow cycle: a.x → b.y → a.x; …}. */
    public String message() {
      return "subflow cycle: "
          + String.join(" → ", chain)
          + "; a flow cannot run itself through subflows. Break the cycle: let one of these"
          + " flows stop calling the next";
    }

    /** The cycle as a problem of the task's {@code flow:} line, with its file, line and column. */
    public Problem problem() {
      var ignored = new ArrayList<Problem>();
      YamlTree tree = YamlTree.parse(flow.source().file(), flow.source().text(), ignored);
      return tree.problem(task.path() + ".flow", message());
    }
  }

  /** The flow {@code namespace.id} a subflow task names, when written literally. */
  public static Optional<String> target(Flow flow, TaskDef task) {
    if (!TYPE.equals(task.type())) {
      return Optional.empty();
    }
    String name = text(task.properties().get("flow"));
    String namespace = text(task.properties().get("namespace"));
    if (name == null || name.contains("{{") || (namespace != null && namespace.contains("{{"))) {
      return Optional.empty();
    }
    name = name.strip();
    int slash = name.lastIndexOf('/');
    if (slash > 0) {
      return Optional.of(name.substring(0, slash) + "." + name.substring(slash + 1));
    }
    return Optional.of((namespace == null ? flow.namespace() : namespace.strip()) + "." + name);
  }

  /** Every cycle among {@code flows}, each reported once, at a task of the flow listed first. */
  public static List<Cycle> find(Collection<Flow> flows) {
    var byKey = new LinkedHashMap<String, Flow>();
    flows.forEach(f -> byKey.putIfAbsent(f.qualifiedId(), f));
    var found = new ArrayList<Cycle>();
    var reported = new LinkedHashSet<String>();
    for (Flow start : byKey.values()) {
      walk(start, byKey, new ArrayList<>(List.of(start.qualifiedId())), null, found, reported);
    }
    return found;
  }

  /**
   * The first cycle that leads back to {@code start}, following the flows {@code others} names by
   * {@code namespace.id} ({@code start} itself is taken from there as given): the check of one flow
   * joining many (a server registering a revision), which costs nothing for flows without subflows.
   */
  public static Optional<Cycle> through(
      Flow start, java.util.function.Function<String, Optional<Flow>> others) {
    if (start.allTasks().stream().noneMatch(t -> TYPE.equals(t.type()))) {
      return Optional.empty();
    }
    var byKey = new java.util.HashMap<String, Flow>();
    byKey.put(start.qualifiedId(), start);
    var found = new ArrayList<Cycle>();
    walkLookup(start, others, byKey, new ArrayList<>(List.of(start.qualifiedId())), null, found, 0);
    return found.stream().findFirst();
  }

  private static void walkLookup(
      Flow at,
      java.util.function.Function<String, Optional<Flow>> others,
      Map<String, Flow> seen,
      List<String> path,
      TaskDef firstTask,
      List<Cycle> found,
      int depth) {
    for (TaskDef t : at.allTasks()) {
      Optional<String> next = target(at, t);
      if (next.isEmpty() || !found.isEmpty()) {
        continue;
      }
      TaskDef first = firstTask == null ? t : firstTask;
      if (next.get().equals(path.get(0))) {
        var chain = new ArrayList<>(path);
        chain.add(next.get());
        found.add(new Cycle(seen.get(path.get(0)), first, chain));
      } else if (!path.contains(next.get()) && depth < MAX_DEPTH) {
        Optional<Flow> flow =
            Optional.ofNullable(seen.get(next.get())).or(() -> others.apply(next.get()));
        if (flow.isPresent()) {
          seen.put(next.get(), flow.get());
          path.add(next.get());
          walkLookup(flow.get(), others, seen, path, first, found, depth + 1);
          path.remove(path.size() - 1);
        }
      }
    }
  }

  private static void walk(
      Flow at,
      Map<String, Flow> byKey,
      List<String> path,
      TaskDef firstTask,
      List<Cycle> found,
      LinkedHashSet<String> reported) {
    for (TaskDef t : at.allTasks()) {
      Optional<String> next = target(at, t);
      if (next.isEmpty()) {
        continue;
      }
      TaskDef first = firstTask == null ? t : firstTask;
      int seen = path.indexOf(next.get());
      if (seen == 0) {
        var chain = new ArrayList<>(path);
        chain.add(next.get());
        // the same ring read from another of its flows is the same cycle
        if (reported.add(ring(path))) {
          found.add(new Cycle(byKey.get(path.get(0)), first, chain));
        }
      } else if (seen < 0 && byKey.containsKey(next.get()) && path.size() < MAX_DEPTH) {
        path.add(next.get());
        walk(byKey.get(next.get()), byKey, path, first, found, reported);
        path.remove(path.size() - 1);
      }
    }
  }

  private static String ring(List<String> path) {
    return new java.util.TreeSet<>(path).toString();
  }

  private static String text(JsonNode n) {
    return n == null || !n.isTextual() ? null : n.textValue();
  }
}
