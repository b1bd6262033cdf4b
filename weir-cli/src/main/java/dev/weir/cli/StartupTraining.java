package dev.weir.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The training workload of the start-up cache: the {@code ./weir} launcher runs this class once per
 * jar, in the background, under {@code -XX:AOTCacheOutput} (JDK 25+) or {@code
 * -XX:ArchiveClassesAtExit} (JDK 21–24). Whatever it loads and links lands in the cache, so it goes
 * through the commands whose start-up a user waits for: {@code --help}, {@code validate} and {@code
 * run} of a one-task flow, with their output thrown away. Everything happens in a temporary folder,
 * with an explicit {@code --home}, so training never touches the user's runs.
 */
public final class StartupTraining {
  private static final String FLOW =
      """
      id: startup_training
      namespace: weir
      tasks:
        - id: only
          type: noop
      """;

  private StartupTraining() {}

  public static void main(String[] args) throws IOException {
    train();
    // The engine's and the store's threads must not keep the JVM alive: the cache is written when
    // the training process exits.
    System.exit(0);
  }

  /** Runs the commands; returns the exit code of the run (0: the flow succeeded). */
  static int train() throws IOException {
    Path dir = Files.createTempDirectory("weir-startup-training");
    try {
      Path flow = Files.writeString(dir.resolve("flow.yaml"), FLOW);
      String home = dir.resolve("home").toString();
      var out = new PrintWriter(Writer.nullWriter());
      // the user's WEIR_* settings (WEIR_DB: their state store, perhaps a cluster's PostgreSQL)
      // must not reach the training run: it keeps to its own home and leaves nothing behind
      var env = new java.util.HashMap<>(System.getenv());
      env.keySet().removeIf(k -> k.startsWith("WEIR_"));
      var where = new Surroundings(Path.of(""), env, Path.of(System.getProperty("user.home")));
      CommandTree.execute(where, out, out, "--help");
      CommandTree.execute(where, out, out, "run", "--help");
      CommandTree.execute(where, out, out, "validate", flow.toString());
      int run = CommandTree.execute(where, out, out, "run", flow.toString(), "--home", home);
      CommandTree.execute(where, out, out, "runs", "list", "--home", home);
      return run;
    } finally {
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
