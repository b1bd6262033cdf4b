package dev.weir.tasks.python;

import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Virtual environments kept per interpreter and requirements: the first task that needs one creates
 * it ({@code python -m venv}, then {@code pip install} from the user's configured index) under a
 * file lock, and marks it ready only when pip succeeded; later tasks and runs reuse it. A half-made
 * environment (pip failed, Weir died) is made again.
 */
final class Venvs {
  static final String READY = ".weir-ready";

  /** A file lock is held per process: tasks of one Weir process queue on this first. */
  private static final Map<Path, Object> IN_PROCESS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final Path root;
  private final TaskContext context;

  Venvs(Path root, TaskContext context) {
    this.root = root;
    this.context = context;
  }

  /** {@code $XDG_CACHE_HOME/weir/venvs}, or {@code ~/.cache/weir/venvs}. */
  static Path defaultRoot(Map<String, String> env) {
    String cache = env.get("XDG_CACHE_HOME");
    Path base =
        cache != null && !cache.isBlank()
            ? Path.of(cache)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("weir").resolve("venvs");
  }

  /** The Python of the environment for these requirements, made first when needed. */
  Path ready(String interpreter, List<String> requirements) throws Exception {
    String key = key(interpreter, requirements);
    Path dir = root.resolve(key);
    Path python = dir.resolve("bin").resolve("python");
    Files.createDirectories(root);
    synchronized (IN_PROCESS.computeIfAbsent(dir.toAbsolutePath().normalize(), k -> new Object())) {
      return readyLocked(interpreter, requirements, dir, python, key);
    }
  }

  private Path readyLocked(
      String interpreter, List<String> requirements, Path dir, Path python, String key)
      throws Exception {
    try (FileChannel lock =
            FileChannel.open(
                root.resolve(key + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        var held = lock.lock()) {
      if (Files.exists(dir.resolve(READY))) {
        context.logger().info("using the virtual environment " + dir);
        return python;
      }
      deleteTree(dir);
      context.logger().info("creating a virtual environment for " + requirements + " in " + dir);
      var pip = new ArrayList<String>();
      if (hasModernPip(interpreter)) {
        // the interpreter's own pip installs into the environment (pip --python, since 22.3):
        // no copy of pip per environment, and seconds instead of half a minute of ensurepip
        run(List.of(interpreter, "-m", "venv", "--without-pip", dir.toString()), "python -m venv");
        pip.addAll(List.of(interpreter, "-m", "pip", "--python", python.toString()));
      } else {
        run(List.of(interpreter, "-m", "venv", dir.toString()), "python -m venv");
        pip.addAll(List.of(python.toString(), "-m", "pip"));
      }
      pip.addAll(List.of("install", "--disable-pip-version-check", "--no-input", "--quiet"));
      pip.addAll(requirements);
      run(pip, "pip install");
      Files.writeString(dir.resolve(READY), String.join("\n", requirements) + "\n");
      return python;
    }
  }

  /** Whether {@code interpreter} has a pip that can install into another environment (22.3+). */
  private static boolean hasModernPip(String interpreter) {
    try {
      Process p =
          new ProcessBuilder(interpreter, "-m", "pip", "--version")
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
        return false;
      }
      var m = java.util.regex.Pattern.compile("^pip (\\d+)\\.(\\d+)").matcher(out);
      return m.find()
          && (Integer.parseInt(m.group(1)) > 22
              || (Integer.parseInt(m.group(1)) == 22 && Integer.parseInt(m.group(2)) >= 3));
    } catch (IOException | RuntimeException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The environment's name: a hash of the interpreter and the sorted requirements. */
  static String key(String interpreter, List<String> requirements) throws Exception {
    var sorted = requirements.stream().map(String::strip).sorted().toList();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(interpreter.getBytes(StandardCharsets.UTF_8));
    for (String r : sorted) {
      sha.update((byte) 0);
      sha.update(r.getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
  }

  private void run(List<String> command, String what) throws Exception {
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(context.environment());
    Process p;
    try {
      p = builder.start();
    } catch (IOException e) {
      throw TaskFailedException.permanent(
          "cannot start "
              + command.getFirst()
              + " for "
              + what
              + ": "
              + e.getMessage()
              + "; is Python installed? Set `python:` to the interpreter's path");
    }
    context.onCancel(() -> p.descendants().forEach(ProcessHandle::destroyForcibly));
    context.onCancel(p::destroyForcibly);
    p.getOutputStream().close();
    var last = new ArrayList<String>();
    try (var reader = p.inputReader(StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        context.logger().info(line);
        last.add(line);
        if (last.size() > 10) {
          last.removeFirst();
        }
      }
    }
    int code = p.waitFor();
    if (code != 0) {
      // a requirement that does not resolve will not resolve on a retry either, but an index
      // that is down will: let the retry policy decide
      throw new TaskFailedException(
          what + " failed (exit code " + code + "):\n" + context.mask(String.join("\n", last)),
          true,
          Map.of("exitCode", code),
          null);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
