package dev.weir.engine;

import dev.weir.WeirException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The staging area: {@code <home>/staging/<run>/<task>/}, where datasets live between tasks. */
final class Staging {
  private Staging() {}

  static void clear(Path dir) {
    try {
      if (Files.exists(dir)) {
        try (Stream<Path> walk = Files.walk(dir)) {
          for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new WeirException("cannot prepare staging directory " + dir + ": " + e, e);
    }
  }
}
