package dev.weir.cli;

import dev.weir.flow.FlowSchema;
import dev.weir.task.TaskRegistry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "schema",
    description =
        "Print the JSON Schema of flow files (every task type installed), for editors: `weir"
            + " schema > weir-flow.schema.json`.",
    footer = {
      "",
      "VS Code (YAML extension): first line of a flow file",
      "  # yaml-language-server: $schema=weir-flow.schema.json",
      "  (the path is relative to the flow file; a URL works too)",
      "IntelliJ: Settings > Languages & Frameworks > Schemas and DTDs >",
      "  JSON Schema Mappings: the file or URL, for your flow files.",
      "A running server serves it at /api/v1/schema/flow.json."
    })
final class SchemaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    out.println(FlowSchema.of(TaskRegistry.load()).toPrettyString());
    out.flush();
    return 0;
  }
}
