package dev.weir.tasks.models;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What each node writes and reads, as {@code schema.name}: a model or seed writes its relation (an
 * ephemeral model nothing), and reads its parents' relations — an ephemeral parent is inlined, so
 * its own reads count instead. A test reads the relations it tests.
 */
final class Lineage {
  private final ModelCompiler compiler;
  private final ModelGraph graph;

  Lineage(ModelCompiler compiler) {
    this.compiler = compiler;
    this.graph = compiler.graph();
  }

  /** The relation {@code n} builds, or null (a test, an ephemeral model, a source). */
  String written(GraphNode n) {
    if (n.type() == GraphNode.Type.TEST || n.type() == GraphNode.Type.SOURCE || n.isEphemeral()) {
      return null;
    }
    return compiler.relationOf(n).qualifiedName();
  }

  /** The relations {@code n} reads, in the order of its dependencies, each once. */
  List<String> read(GraphNode n) {
    Set<String> out = new LinkedHashSet<>();
    collect(n, out, new LinkedHashSet<>());
    return new ArrayList<>(out);
  }

  private void collect(GraphNode n, Set<String> out, Set<String> seen) {
    for (String id : n.dependsOn()) {
      GraphNode p = graph.node(id);
      if (p == null || !seen.add(id)) {
        continue;
      }
      if (p.isEphemeral()) {
        collect(p, out, seen);
      } else {
        out.add(compiler.relationOf(p).qualifiedName());
      }
    }
  }
}
