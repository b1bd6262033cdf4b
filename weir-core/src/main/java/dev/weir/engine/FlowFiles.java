package dev.weir.engine;

import dev.weir.WeirException;
import dev.weir.config.ProjectConfig;
import dev.weir.flow.Flow;
import dev.weir.flow.FlowParser;
import dev.weir.flow.FlowSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The flow files a {@code weir run} can see: those beside the parent flow's file, then those of its
 * project (the directory of the nearest {@code weir.yaml} and below, hidden directories left out),
 * as the server's flow directory is read: {@code *.yaml} and {@code *.yml} but {@code weir.yaml}.
 */
final class FlowFiles {
  // a project's flows, not a disk: a walk that finds more stops there rather than take minutes
  static final int MAX_FILES = 5_000;

  private final FlowParser parser;

  FlowFiles(FlowParser parser) {
    this.parser = parser;
  }

  /**
   * The first flow named {@code namespace.flowId}, beside {@code near} first.
   *
   * @throws WeirException when none is valid but a file that is not valid says it is that flow
   */
  Optional<SubflowHost.Found> find(String namespace, String flowId, Path near) {
    var declares =
        java.util.regex.Pattern.compile(
            "(?m)^id:\\s*[\"']?" + java.util.regex.Pattern.quote(flowId) + "[\"']?\\s*(#.*)?$");
    String invalid = null;
    for (Path file : files(near)) {
      String text;
      try {
        text = FlowSource.read(file);
      } catch (RuntimeException e) {
        continue;
      }
      if (!text.contains(flowId)) {
        continue; // most files are other flows: no need to parse them
      }
      try {
        Flow flow = parser.parse(file.toString(), text);
        if (flow.id().equals(flowId) && flow.namespace().equals(namespace)) {
          return Optional.of(new SubflowHost.Found(flow, file));
        }
      } catch (RuntimeException e) {
        if (invalid == null && declares.matcher(text).find()) {
          invalid =
              file
                  + " defines flow '"
                  + flowId
                  + "' but is not valid: "
                  + firstLine(e.getMessage())
                  + "; see `weir validate "
                  + file
                  + "`";
        }
      }
    }
    if (invalid != null) {
      throw new WeirException(invalid);
    }
    return Optional.empty();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    // a definition error lists its problems one a line under a heading: the first problem says most
    String[] lines = message.strip().split("\n");
    return lines.length > 1 && lines[0].endsWith(":") ? lines[1].strip() : lines[0].strip();
  }

  /** Ids of the valid flows of {@code namespace}, sorted. */
  List<String> known(String namespace, Path near) {
    var ids = new java.util.TreeSet<String>();
    for (Path file : files(near)) {
      try {
        parse(file, FlowSource.read(file))
            .filter(f -> f.namespace().equals(namespace))
            .ifPresent(f -> ids.add(f.id()));
      } catch (RuntimeException e) {
        // unreadable: not a flow we could run either
      }
    }
    return List.copyOf(ids);
  }

  private Optional<Flow> parse(Path file, String text) {
    try {
      return Optional.of(parser.parse(file.toString(), text));
    } catch (RuntimeException e) {
      return Optional.empty(); // not a flow, or an invalid one: `weir validate` says why
    }
  }

  private static List<Path> files(Path near) {
    var out = new LinkedHashSet<Path>();
    if (near != null) {
      list(near, 1, out);
      ProjectConfig project = ProjectConfig.find(near);
      if (project.file() != null) {
        list(project.file().toAbsolutePath().getParent(), Integer.MAX_VALUE, out);
      }
    }
    return new ArrayList<>(out);
  }

  private static void list(Path dir, int depth, LinkedHashSet<Path> out) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    Predicate<Path> flowFile =
        p -> {
          String n = p.getFileName().toString();
          return (n.endsWith(".yaml") || n.endsWith(".yml"))
              && !n.equals(ProjectConfig.FILE_NAME)
              && !n.equals("weir.yml");
        };
    try (Stream<Path> walk = Files.walk(dir, depth)) {
      walk.filter(p -> !hidden(dir.relativize(p)))
          .filter(flowFile)
          .filter(Files::isRegularFile)
          .map(p -> p.toAbsolutePath().normalize())
          .sorted()
          .limit(MAX_FILES)
          .forEach(out::add);
    } catch (IOException | java.io.UncheckedIOException e) {
      // a directory we cannot read holds no flow we can run
    }
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
