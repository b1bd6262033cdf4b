package dev.weir.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.weir.flow.FlowSource;
import dev.weir.flow.Problem;
import dev.weir.flow.YamlTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks flow files against the flow schema with a real validator (networknt), reading the YAML
 * into the same tree the parser reads.
 */
public final class SchemaCheck {
  private final Schema schema;

  public SchemaCheck(JsonNode flowSchema) {
    this.schema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(flowSchema);
  }

  /** The validator's messages for {@code file}, each with its place; empty when it conforms. */
  public List<String> errors(Path file) {
    return errors(file.toString(), FlowSource.read(file));
  }

  /** As {@link #errors(Path)}, of a file's text. */
  public List<String> errors(String file, String text) {
    var problems = new ArrayList<Problem>();
    YamlTree tree = YamlTree.parse(file, text, problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("not YAML: " + problems);
    }
    return errors(tree.root());
  }

  public List<String> errors(JsonNode flow) {
    return schema.validate(flow).stream()
        .map(e -> e.getInstanceLocation() + ": " + e.getMessage())
        .toList();
  }
}
