package dev.weir.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.WeirException;
import dev.weir.flow.FlowSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "deploy",
    description = "Deploy flow files (a file or every *.yaml in a directory) to a Weir server.")
final class DeployCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PATH", description = "A flow file or a directory.")
  Path path;

  @Mixin ServerClientOptions server;

  @Override
  public Integer call() throws IOException {
    List<Path> files;
    if (Files.isDirectory(path)) {
      try (Stream<Path> s = Files.walk(path)) {
        files =
            s.filter(Files::isRegularFile)
                .filter(p -> {
                  String n = p.getFileName().toString();
                  return (n.endsWith(".yaml") || n.endsWith(".yml")) && !n.startsWith("weir.");
                })
                .sorted()
                .toList();
      }
    } else if (Files.isRegularFile(path)) {
      files = List.of(path);
    } else {
      throw new WeirException("nothing to deploy at " + path.toAbsolutePath());
    }
    ApiClient api = server.client();
    PrintWriter out = spec.commandLine().getOut();
    int failed = 0;
    for (Path f : files) {
      try {
        JsonNode r = api.post("/flows", FlowSource.read(f), "application/yaml");
        out.printf(
            "%-40s %s/%s revision %d%s%n",
            f,
            r.path("namespace").asText(),
            r.path("id").asText(),
            r.path("revision").asInt(),
            r.path("changed").asBoolean(true) ? "" : " (unchanged)");
        for (JsonNode w : r.path("warnings")) { // deployed all the same, as `validate` says
          spec.commandLine()
              .getErr()
              .printf(
                  "  %s:%d:%d %s: %s%n",
                  f,
                  w.path("line").asInt(),
                  w.path("column").asInt(),
                  w.path("path").asText(),
                  w.path("message").asText());
        }
      } catch (WeirException e) {
        failed++;
        spec.commandLine().getErr().println(f + ": " + e.getMessage());
      }
    }
    out.flush();
    return failed == 0 ? 0 : Errors.FAILED;
  }
}
