package dev.weir.tasks.models;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dbt's node selection: {@code orders}, {@code stg_*}, {@code +orders} (with its ancestors), {@code
 * orders+}, {@code 2+orders} (two levels up), {@code @orders}, {@code tag:daily}, {@code
 * path:models/staging}, {@code config.materialized:view}, {@code source:jaffle_raw.orders}, {@code
 * resource_type:model}; space-separated parts are a union, comma-separated ones an intersection;
 * {@code exclude} takes the same syntax. Tests of selected nodes are selected with them as dbt's
 * {@code --indirect-selection} says ({@link IndirectSelection}, eager by default).
 */
public final class Selector {
  private static final Pattern ATOM = Pattern.compile("^(@)?(?:(\\d*)\\+)?([^+]+?)(?:\\+(\\d*))?$");

  /** Which tests a selection takes along: dbt's {@code --indirect-selection} modes. */
  public enum IndirectSelection {
    /** A test of any selected node (dbt's default). */
    EAGER,
    /** A test whose parents are all selected. */
    CAUTIOUS,
    /** A test whose parents are all selected or built before a selected node (its ancestors). */
    BUILDABLE,
    /** No test unless selected itself. */
    EMPTY;

    /** {@code eager}, {@code cautious}, {@code buildable} or {@code empty}. */
    public static IndirectSelection of(String name) {
      for (IndirectSelection m : values()) {
        if (m.name().equalsIgnoreCase(name)) {
          return m;
        }
      }
      throw new IllegalArgumentException(
          "indirect selection '" + name + "' is not one of eager, cautious, buildable, empty");
    }
  }

  private final ModelGraph graph;
  private final IndirectSelection indirect;

  public Selector(ModelGraph graph) {
    this(graph, IndirectSelection.EAGER);
  }

  public Selector(ModelGraph graph, IndirectSelection indirect) {
    this.graph = graph;
    this.indirect = indirect;
  }

  /** The ids selected by {@code select} (blank: everything) minus {@code exclude}, in DAG order. */
  public List<GraphNode> select(String select, String exclude) {
    Set<String> chosen = new LinkedHashSet<>();
    if (select == null || select.isBlank()) {
      graph.nodes().forEach(n -> chosen.add(n.id()));
    } else {
      chosen.addAll(union(select));
      addTests(chosen);
    }
    if (exclude != null && !exclude.isBlank()) {
      chosen.removeAll(union(exclude));
    }
    return graph.inOrder(chosen);
  }

  private Set<String> union(String spec) {
    Set<String> out = new LinkedHashSet<>();
    for (String part : spec.trim().split("\\s+")) {
      Set<String> inter = null;
      for (String atom : part.split(",")) {
        Set<String> s = atom(atom);
        if (inter == null) {
          inter = s;
        } else {
          inter.retainAll(s);
        }
      }
      out.addAll(inter);
    }
    return out;
  }

  private Set<String> atom(String atom) {
    Matcher m = ATOM.matcher(atom);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "cannot read the selector '"
              + atom
              + "'; write e.g. orders, +orders, orders+, 2+orders, stg_*, tag:daily, path:models/staging");
    }
    Set<String> base = method(m.group(3));
    Set<String> out = new HashSet<>(base);
    boolean at = m.group(1) != null;
    for (String id : base) {
      if (m.group(2) != null) {
        out.addAll(graph.reach(id, true, depth(m.group(2))));
      }
      if (m.group(4) != null || at) {
        Set<String> down = graph.reach(id, false, at ? -1 : depth(m.group(4)));
        out.addAll(down);
        if (at) {
          down.forEach(d -> out.addAll(graph.reach(d, true, -1)));
        }
      }
    }
    return out;
  }

  private static int depth(String digits) {
    return digits.isEmpty() ? -1 : Integer.parseInt(digits);
  }

  private Set<String> method(String spec) {
    int colon = spec.indexOf(':');
    String method = colon < 0 ? "" : spec.substring(0, colon);
    String value = colon < 0 ? spec : spec.substring(colon + 1);
    Set<String> out = new HashSet<>();
    for (GraphNode n : graph.nodes()) {
      if (matches(n, method, value)) {
        out.add(n.id());
      }
    }
    return out;
  }

  private boolean matches(GraphNode n, String method, String value) {
    return switch (method) {
      case "" ->
          n.type() != GraphNode.Type.SOURCE && (glob(value, n.name()) || pathMatch(value, n));
      case "tag" -> n.tags().stream().anyMatch(t -> glob(value, t));
      case "path" -> pathMatch(value, n);
      case "config.materialized" ->
          n.type() == GraphNode.Type.MODEL && glob(value, n.materialized());
      case "source" ->
          n.type() == GraphNode.Type.SOURCE
              && (glob(value, n.name())
                  || glob(value, n.name().substring(0, n.name().indexOf('.'))));
      case "resource_type" -> n.type().dbtName().equals(value);
      case "fqn" -> glob(value, n.name());
      default ->
          throw new IllegalArgumentException(
              "selector method '"
                  + method
                  + ":' is not supported (supported: tag:, path:, config.materialized:, source:,"
                  + " resource_type:, fqn:)");
    };
  }

  private static boolean pathMatch(String value, GraphNode n) {
    if (n.path() == null || !(value.contains("/") || value.endsWith(".sql"))) {
      return false;
    }
    String v = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    if (n.path().equals(v) || n.path().startsWith(v + "/")) {
      return true;
    }
    return FileSystems.getDefault().getPathMatcher("glob:" + v).matches(Path.of(n.path()));
  }

  private static boolean glob(String pattern, String s) {
    if (s == null) {
      return false;
    }
    if (!pattern.contains("*") && !pattern.contains("?")) {
      return pattern.equals(s);
    }
    StringBuilder re = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return s.matches(re.toString());
  }

  /** Adds the tests of the selected nodes, as {@link #indirect} says. */
  private void addTests(Set<String> chosen) {
    if (indirect == IndirectSelection.EMPTY) {
      return;
    }
    Set<String> buildable = new HashSet<>(chosen);
    if (indirect == IndirectSelection.BUILDABLE) {
      for (String id : chosen) {
        buildable.addAll(graph.reach(id, true, -1));
      }
    }
    var tests = new ArrayList<String>();
    for (GraphNode n : graph.nodes()) {
      if (n.type() != GraphNode.Type.TEST || n.dependsOn().stream().noneMatch(chosen::contains)) {
        continue;
      }
      boolean take =
          switch (indirect) {
            case EAGER -> true;
            case CAUTIOUS -> chosen.containsAll(n.dependsOn());
            case BUILDABLE -> buildable.containsAll(n.dependsOn());
            case EMPTY -> false;
          };
      if (take) {
        tests.add(n.id());
      }
    }
    chosen.addAll(tests);
  }
}
