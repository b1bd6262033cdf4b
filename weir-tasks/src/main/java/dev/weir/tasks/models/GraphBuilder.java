package dev.weir.tasks.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a project's {@link ModelGraph} from the first pass of its models, seeds and tests. */
final class GraphBuilder {
  private final ModelCompiler compiler;
  private final String project;
  private final Map<String, GraphNode> nodes = new LinkedHashMap<>();

  GraphBuilder(ModelCompiler compiler) {
    this.compiler = compiler;
    this.project = compiler.project().name();
  }

  ModelGraph build() {
    DbtProject p = compiler.project();
    for (SourceTable s : p.sources()) {
      add(
          new GraphNode(
              sourceId(s.qualifiedName()),
              GraphNode.Type.SOURCE,
              s.qualifiedName(),
              s.location().file(),
              List.of(),
              null,
              List.of()));
    }
    for (SeedFile s : p.seeds()) {
      add(
          new GraphNode(
              id("seed", s.name()),
              GraphNode.Type.SEED,
              s.name(),
              s.path(),
              s.config().tags(),
              "seed",
              List.of()));
    }
    for (ParsedModel m : compiler.parsed().values()) {
      var deps = new ArrayList<String>();
      m.refs().forEach(r -> deps.add(refId(r.name())));
      m.sources().forEach(s -> deps.add(sourceId(s.name())));
      add(
          new GraphNode(
              id("model", m.model().name()),
              GraphNode.Type.MODEL,
              m.model().name(),
              m.model().path(),
              m.config().tags(),
              m.config().materializedOrDefault(),
              distinct(deps)));
    }
    for (GenericTest t : p.genericTests()) {
      String parent = t.model() != null ? refId(t.model()) : sourceId(t.source());
      if (!nodes.containsKey(parent)) {
        continue; // YAML for a model that does not exist or is disabled: dbt skips it too
      }
      var deps = new ArrayList<String>(List.of(parent));
      if (t.kind() == GenericTest.Kind.RELATIONSHIPS) {
        deps.add(toTarget(t));
      }
      add(
          new GraphNode(
              id("test", t.name()),
              GraphNode.Type.TEST,
              t.name(),
              t.location().file(),
              List.of(),
              "test",
              distinct(deps)));
    }
    for (SingularTest t : p.singularTests()) {
      var sources = new ArrayList<ModelContext.Call>();
      var deps = new ArrayList<String>();
      compiler.testRefs(t, sources).forEach(r -> deps.add(refId(r.name())));
      sources.forEach(s -> deps.add(sourceId(s.name())));
      add(
          new GraphNode(
              id("test", t.name()),
              GraphNode.Type.TEST,
              t.name(),
              t.path(),
              List.of(),
              "test",
              distinct(deps)));
    }
    return new ModelGraph(nodes.values());
  }

  /** The node a relationships test's {@code to:} names. */
  private String toTarget(GenericTest t) {
    String to = String.valueOf(t.args().get("to"));
    String[] target = GenericTestSql.parseTo(to);
    if (target != null && target[0].equals("ref")) {
      if (compiler.parsed().containsKey(target[1]) || nodes.containsKey(id("seed", target[1]))) {
        return refId(target[1]);
      }
      throw new ModelsException(
          t.location(), "relationships to: " + compiler.unknownRef(target[1]));
    }
    if (target != null && nodes.containsKey(sourceId(target[1] + "." + target[2]))) {
      return sourceId(target[1] + "." + target[2]);
    }
    throw new ModelsException(
        t.location(),
        "relationships to: '"
            + to
            + "' is not ref('model') or source('source', 'table') of this project");
  }

  private void add(GraphNode n) {
    GraphNode old = nodes.put(n.id(), n);
    if (old != null && n.type() == GraphNode.Type.TEST) {
      throw new ModelsException(
          n.path(),
          0,
          "two tests are both named "
              + n.name()
              + " (the other in "
              + old.path()
              + "); rename one (singular tests by their file name)");
    }
  }

  private String refId(String name) {
    return compiler.parsed().containsKey(name) ? id("model", name) : id("seed", name);
  }

  private String id(String type, String name) {
    return type + "." + project + "." + name;
  }

  private String sourceId(String qualified) {
    return "source." + project + "." + qualified;
  }

  private static List<String> distinct(List<String> l) {
    return l.stream().distinct().toList();
  }
}
