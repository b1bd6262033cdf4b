package dev.weir.tasks.core;

import dev.weir.task.ChildProcess;
import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskLogger;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/** Runs a bash script; its output goes to the task log. */
public final class ShellTask implements TaskType<ShellTask.Config> {
  /**
   * @param command a bash script; values from triggers, inputs and outputs go in through {@code
   *     env}, never as text of the script (validation warns when they do)
   * @param env added to the environment the task gets from Weir (which has no secrets in it)
   * @param workDir relative to the flow file's directory; defaults to it
   */
  public record Config(
      @Required(example = "./export.sh \"$DAY\"") String command,
      Map<String, String> env,
      String workDir) {}

  @Override
  public String name() {
    return "shell";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  /** {@code command} is a script: inlined untrusted values are warned about in validation. */
  @Override
  public Set<String> shellScriptProperties() {
    return Set.of("command");
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    Path dir =
        config.workDir() == null ? context.workDir() : context.workDir().resolve(config.workDir());
    if (!Files.isDirectory(dir)) {
      throw TaskFailedException.permanent(
          "shell workDir '"
              + config.workDir()
              + "' is not a directory ("
              + dir.toAbsolutePath()
              + "); create it or give a path relative to the flow file's directory");
    }
    // -e and pipefail: a failing step in the middle of a script or a pipe fails the task
    var builder = new ProcessBuilder("bash", "-eo", "pipefail", "-c", config.command());
    builder.directory(dir.toFile());
    builder.environment().clear();
    builder.environment().putAll(context.environment());
    if (config.env() != null) {
      builder.environment().putAll(config.env());
    }
    // its own process group: ended whole on cancel, and by a resume if Weir dies meanwhile
    ChildProcess child = ChildProcess.start(builder, context);
    Process process = child.process();
    process.getOutputStream().close();
    var lastStderr = new AtomicReference<String>("");
    Thread out = pump(process.getInputStream(), context.logger(), TaskLogger.Level.INFO, null);
    Thread err =
        pump(process.getErrorStream(), context.logger(), TaskLogger.Level.WARN, lastStderr);
    int code;
    try {
      code = process.waitFor();
    } catch (InterruptedException e) {
      child.end();
      throw e;
    }
    // a background child may hold the pipes open after bash exits; don't wait for it forever
    out.join(2_000);
    err.join(2_000);
    if (context.isCancelled()) {
      throw new TaskFailedException("shell command was cancelled (exit code " + code + ")");
    }
    if (code != 0) {
      throw new TaskFailedException(
          "shell command exited with code "
              + code
              + "; last stderr line: "
              + (lastStderr.get().isEmpty() ? "(none)" : lastStderr.get()),
          true,
          Map.of("exitCode", code),
          null);
    }
    return TaskResult.of(Map.of("exitCode", code));
  }

  private static Thread pump(
      InputStream in, TaskLogger logger, TaskLogger.Level level, AtomicReference<String> last) {
    return OutputLines.pump(
        in,
        line -> {
          logger.log(level, line);
          if (last != null && !line.isBlank()) {
            last.set(line);
          }
        });
  }
}
