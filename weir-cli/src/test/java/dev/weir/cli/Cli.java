package dev.weir.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the CLI in this JVM or in a child JVM, capturing what it prints. */
final class Cli {
  record Result(int exit, String out, String err) {}

  private Cli() {}

  /**
   * Where in-JVM commands start unless a test says otherwise: a directory of this test JVM as both
   * the working directory and the user's home, without $WEIR_HOME. So a command without --home
   * finds neither the real ~/.weir nor a weir.yaml above the build directory.
   */
  static final Surroundings ISOLATED = isolated();

  static Result run(String... args) {
    return run(ISOLATED, args);
  }

  /** Runs {@code weir ARGS} as if started in {@code where}. */
  static Result run(Surroundings where, String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int code =
        CommandTree.execute(where, new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  /** Started in {@code cwd}, with {@code userHome} as the user's home and this environment. */
  static Surroundings at(Path cwd, Path userHome, Map<String, String> env) {
    return new Surroundings(cwd, env, userHome);
  }

  private static Surroundings isolated() {
    try {
      Path dir = Files.createTempDirectory("weir-cli-test-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
      var env = new HashMap<>(System.getenv());
      env.remove("WEIR_HOME");
      return new Surroundings(dir, env, dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: the OS cleans up what is left
    }
  }

  /** Starts {@code weir ARGS} in a new JVM with the test class path and extra environment. */
  static Process child(Path dir, Map<String, String> env, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("--enable-native-access=ALL-UNNAMED");
    // the child's ~ is the test's directory: a run without --home never reaches the real ~/.weir
    cmd.add("-Duser.home=" + dir.toAbsolutePath());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    var pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().remove("WEIR_HOME");
    pb.environment().putAll(env);
    pb.redirectOutput(dir.resolve("child.out").toFile());
    pb.redirectError(dir.resolve("child.err").toFile());
    return pb.start();
  }

  /** What a test waits for; may read files the child writes. */
  interface Check {
    boolean ok() throws Exception;
  }

  /**
   * Polls {@code check} every 50 ms until it holds (at most 90 s). Fails with the child's output
   * ({@code child.out}, {@code child.err} in {@code dir}, see {@link #child}) when the child exits
   * first, and kills it when the time is up.
   */
  static void waitFor(Path dir, Process child, Check check) throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(90).toNanos();
    while (!check.ok()) {
      if (!child.isAlive()) {
        throw new AssertionError(
            "child exited early: "
                + java.nio.file.Files.readString(dir.resolve("child.out"))
                + java.nio.file.Files.readString(dir.resolve("child.err")));
      }
      if (System.nanoTime() > deadline) {
        child.destroyForcibly();
        throw new AssertionError(
            "timed out waiting for the child; its output: "
                + tail(dir.resolve("child.out"))
                + " / "
                + tail(dir.resolve("child.err")));
      }
      Thread.sleep(50);
    }
  }

  // the end of a child's output, for a failure message
  private static String tail(Path file) {
    try {
      String text = java.nio.file.Files.readString(file);
      return text.length() <= 4000 ? text : "…" + text.substring(text.length() - 4000);
    } catch (java.io.IOException e) {
      return "(" + file.getFileName() + " unreadable: " + e.getMessage() + ")";
    }
  }
}
