package dev.weir.tasks.models;

import dev.weir.flow.Problem;
import dev.weir.flow.YamlTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a project's YAML with the line of every key (Weir's flow parser, reused). */
final class YamlFiles {
  private YamlFiles() {}

  /** Parses {@code file}; a syntax error fails with its file, line and the usual fix. */
  static YamlTree read(Path root, Path file) {
    String name = relative(root, file);
    List<Problem> problems = new ArrayList<>();
    YamlTree tree = YamlTree.parse(name, text(file), problems);
    if (!problems.isEmpty()) {
      Problem p = problems.get(0);
      throw new ModelsException(p.location(), p.message());
    }
    return tree;
  }

  static String text(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** {@code file} relative to the project, with forward slashes. */
  static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace('\\', '/');
  }
}
