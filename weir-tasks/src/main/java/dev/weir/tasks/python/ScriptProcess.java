package dev.weir.tasks.python;

import dev.weir.task.ChildProcess;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskLogger;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a script's process in a group of its own (ended whole on cancel or timeout): stdout and
 * stderr become task log lines, {@code ::output name=value} lines become outputs, and a non-zero
 * exit fails the attempt with the last lines of stderr.
 */
final class ScriptProcess {
  static final Pattern OUTPUT = Pattern.compile("^::output ([A-Za-z_][A-Za-z0-9_]*)=(.*)$");
  private static final int STDERR_LINES = 10;

  record Result(Map<String, Object> outputs) {}

  private final TaskContext context;

  ScriptProcess(TaskContext context) {
    this.context = context;
  }

  Result run(List<String> command, Map<String, String> env) throws Exception {
    var builder = new ProcessBuilder(command);
    builder.directory(context.workDir().toFile());
    builder.environment().clear();
    builder.environment().putAll(context.environment());
    builder.environment().putAll(env);
    ChildProcess child;
    try {
      child = ChildProcess.start(builder, context);
    } catch (IOException e) {
      throw TaskFailedException.permanent(
          "cannot start "
              + command.getFirst()
              + ": "
              + e.getMessage()
              + "; is Python installed?"
              + " Set `python:` to the interpreter's path");
    }
    Process process = child.process();
    process.getOutputStream().close();
    var outputs = new LinkedHashMap<String, Object>();
    Deque<String> lastErr = new ArrayDeque<>();
    Thread out =
        pump(
            process.getInputStream(),
            line -> {
              Matcher m = OUTPUT.matcher(line);
              if (m.matches()) {
                synchronized (outputs) {
                  outputs.put(m.group(1), m.group(2));
                }
              }
              context.logger().log(TaskLogger.Level.INFO, line);
            });
    Thread err =
        pump(
            process.getErrorStream(),
            line -> {
              context.logger().log(TaskLogger.Level.WARN, line);
              synchronized (lastErr) {
                if (!line.isBlank()) {
                  lastErr.addLast(line);
                  if (lastErr.size() > STDERR_LINES) {
                    lastErr.removeFirst();
                  }
                }
              }
            });
    int code;
    try {
      code = process.waitFor();
    } catch (InterruptedException e) {
      child.end();
      throw e;
    }
    out.join(2_000);
    err.join(2_000);
    if (context.isCancelled()) {
      throw new TaskFailedException("python script was cancelled (exit code " + code + ")");
    }
    if (code != 0) {
      String tail;
      synchronized (lastErr) {
        tail = lastErr.isEmpty() ? "(nothing on stderr)" : String.join("\n", lastErr);
      }
      throw new TaskFailedException(
          "python script exited with code "
              + code
              + "; last lines of stderr:\n"
              + context.mask(tail),
          true,
          Map.of("exitCode", code),
          null);
    }
    synchronized (outputs) {
      return new Result(new LinkedHashMap<>(outputs));
    }
  }

  private static Thread pump(InputStream in, java.util.function.Consumer<String> line) {
    return dev.weir.tasks.core.OutputLines.pump(in, line);
  }
}
