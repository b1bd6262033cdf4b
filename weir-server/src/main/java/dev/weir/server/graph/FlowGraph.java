package dev.weir.server.graph;

import dev.weir.flow.Dag;
import dev.weir.flow.Flow;
import dev.weir.flow.TaskDef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * A flow's task graph laid out left to right by Eclipse ELK's layered algorithm (the one behind
 * Kestra's and many IDEs' diagrams): node boxes and edge polylines in pixels, for the UI to draw.
 * Laying out is the expensive part (seconds at thousands of tasks), so {@link GraphCache} keeps one
 * layout per flow revision; state changes never lay a graph out again.
 */
public final class FlowGraph {
  static final double NODE_HEIGHT = 36;
  static final double CHAR_WIDTH = 7.5;
  static final double MIN_WIDTH = 90;
  static final double MAX_WIDTH = 260;

  static {
    LayoutMetaDataService.getInstance()
        .registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
  }

  private FlowGraph() {}

  /** A task's box, with its type for the label. */
  public record Node(String id, String type, double x, double y, double w, double h) {}

  /** An edge from a task to one that depends on it, as a polyline. */
  public record Edge(String from, String to, List<double[]> points) {}

  /** The whole drawing. */
  public record Layout(double width, double height, List<Node> nodes, List<Edge> edges) {}

  /** Lays out {@code flow}'s tasks and their dependencies. */
  public static Layout layout(Flow flow) {
    List<TaskDef> tasks = flow.allTasks();
    var dag = new Dag(tasks);
    ElkNode root = ElkGraphUtil.createGraph();
    root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
    root.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
    root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.POLYLINE);
    root.setProperty(LayeredOptions.SPACING_NODE_NODE, 16.0);
    root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 40.0);
    root.setProperty(CoreOptions.PADDING, new org.eclipse.elk.core.math.ElkPadding(12));
    var nodes = new HashMap<String, ElkNode>();
    for (TaskDef t : tasks) {
      ElkNode n = ElkGraphUtil.createNode(root);
      n.setIdentifier(t.id());
      n.setDimensions(width(t), NODE_HEIGHT);
      nodes.put(t.id(), n);
    }
    var edges = new ArrayList<ElkEdge>();
    var ends = new HashMap<ElkEdge, String[]>();
    for (TaskDef t : tasks) {
      for (String up : dag.upstream(t.id())) {
        ElkNode from = nodes.get(up);
        if (from != null) {
          ElkEdge e = ElkGraphUtil.createSimpleEdge(from, nodes.get(t.id()));
          edges.add(e);
          ends.put(e, new String[] {up, t.id()});
        }
      }
    }
    new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());

    var outNodes = new ArrayList<Node>(tasks.size());
    for (TaskDef t : tasks) {
      ElkNode n = nodes.get(t.id());
      outNodes.add(new Node(t.id(), t.type(), n.getX(), n.getY(), n.getWidth(), n.getHeight()));
    }
    var outEdges = new ArrayList<Edge>(edges.size());
    for (ElkEdge e : edges) {
      var points = new ArrayList<double[]>();
      for (ElkEdgeSection s : e.getSections()) {
        points.add(new double[] {s.getStartX(), s.getStartY()});
        s.getBendPoints().forEach(b -> points.add(new double[] {b.getX(), b.getY()}));
        points.add(new double[] {s.getEndX(), s.getEndY()});
      }
      String[] fromTo = ends.get(e);
      outEdges.add(new Edge(fromTo[0], fromTo[1], points));
    }
    return new Layout(root.getWidth(), root.getHeight(), outNodes, outEdges);
  }

  private static double width(TaskDef t) {
    int chars = Math.max(t.id().length(), t.type().length());
    return Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, 20 + chars * CHAR_WIDTH));
  }

  /** The layout as JSON-ready maps: {@code {width, height, nodes: [...], edges: [...]}}. */
  public static Map<String, Object> toMap(Layout l) {
    var m = new java.util.LinkedHashMap<String, Object>();
    m.put("width", Math.ceil(l.width()));
    m.put("height", Math.ceil(l.height()));
    m.put(
        "nodes",
        l.nodes().stream()
            .map(n ->
                Map.of(
                    "id", n.id(),
                    "type", n.type(),
                    "x", Math.round(n.x()),
                    "y", Math.round(n.y()),
                    "w", Math.round(n.w()),
                    "h", Math.round(n.h())))
            .toList());
    m.put(
        "edges",
        l.edges().stream()
            .map(e ->
                Map.of(
                    "from",
                    e.from(),
                    "to",
                    e.to(),
                    "points",
                    e.points().stream()
                        .map(p -> List.of(Math.round(p[0]), Math.round(p[1])))
                        .toList()))
            .toList());
    return m;
  }
}
