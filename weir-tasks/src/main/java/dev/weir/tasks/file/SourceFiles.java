package dev.weir.tasks.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files a file.read source stands for: one file, or a glob over the objects fetched from S3.
 */
final class SourceFiles {
  private SourceFiles() {}

  /** {@code file} itself, or the regular files its glob (over one folder) matches, by name. */
  static List<Path> of(Path file) throws IOException {
    if (Files.isRegularFile(file)) {
      return List.of(file);
    }
    Path dir = file.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return List.of();
    }
    var glob = dir.getFileSystem().getPathMatcher("glob:" + file.getFileName());
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> glob.matches(f.getFileName()) && Files.isRegularFile(f))
          .sorted()
          .toList();
    }
  }

  /** The object's name without the number {@link S3Input} put in front of it. */
  static String shortName(Path f) {
    return f.getFileName().toString().replaceFirst("^\\d{6}-", "");
  }
}
