package dev.weir.tasks.python;

import dev.weir.task.Dataset;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a Python script — inline or from a file — with its requirements installed into a virtual
 * environment kept per requirements hash. Upstream datasets go in as files, files the script writes
 * to {@code $WEIR_OUTPUT_DIR} come back as the task's dataset, and {@code ::output name=value}
 * lines become outputs.
 */
public final class PythonTask implements TaskType<PythonTask.Config> {
  static final Set<String> INPUT_FORMATS = Set.of("both", "parquet", "csv");

  /**
   * @param script the Python source to run
   * @param file a {@code .py} file to run instead, relative to the flow file's directory
   * @param requirements pip requirement specifiers ({@code pandas==2.2.3}, a wheel's path)
   * @param python the interpreter that runs the script or creates the virtual environment; defaults
   *     to {@code python3}
   * @param args command-line arguments of the script ({@code sys.argv[1:]})
   * @param env added to the environment (values from inputs go here, not into the script)
   * @param dataset which file of {@code $WEIR_OUTPUT_DIR} is the task's dataset when it writes
   *     several
   * @param inputFormat how upstream datasets are handed in: {@code both} (Parquet and CSV, the
   *     default), {@code parquet} or {@code csv}
   * @param venvDir where virtual environments are kept; defaults to {@code ~/.cache/weir/venvs}
   */
  public record Config(
      String script,
      String file,
      List<String> requirements,
      String python,
      List<String> args,
      Map<String, String> env,
      String dataset,
      String inputFormat,
      String venvDir) {

    String interpreter() {
      return python == null || python.isBlank() ? "python3" : python;
    }

    String format() {
      return inputFormat == null ? "both" : inputFormat;
    }
  }

  @Override
  public String name() {
    return "python";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Set<String> shellScriptProperties() {
    return Set.of("script");
  }

  @Override
  public List<String> validate(Config config) {
    var problems = new ArrayList<String>();
    if ((config.script() == null) == (config.file() == null)) {
      problems.add(
          (config.script() == null
                  ? "neither script nor file is given"
                  : "both script and file are given")
              + "; give exactly one: `script: print('hello')` or `file: scripts/score.py`");
    }
    if (!INPUT_FORMATS.contains(config.format())) {
      problems.add("inputFormat '" + config.inputFormat() + "' is not one of both, parquet, csv");
    }
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    Path script = scriptFile(config, context);
    Path in = Files.createDirectories(context.stagingDir().resolve("in"));
    Path out = Files.createDirectories(context.stagingDir().resolve("out"));
    var env = new LinkedHashMap<String, String>();
    env.putAll(new InputFiles(context, config.format()).write(in, out));
    env.put("WEIR_OUTPUT_DIR", out.toString());
    env.put("WEIR_RUN_ID", context.runId());
    env.put("WEIR_TASK_ID", context.taskId());
    env.put("WEIR_ATTEMPT", String.valueOf(context.attempt()));
    if (config.env() != null) {
      env.putAll(config.env());
    }
    String python = config.interpreter();
    if (config.requirements() != null && !config.requirements().isEmpty()) {
      Path root =
          config.venvDir() != null
              ? context.workDir().resolve(config.venvDir())
              : Venvs.defaultRoot(context.environment());
      python =
          new Venvs(root, context).ready(config.interpreter(), config.requirements()).toString();
    }
    var command = new ArrayList<String>(List.of(python, "-u", script.toString()));
    if (config.args() != null) {
      command.addAll(config.args());
    }
    ScriptProcess.Result result = new ScriptProcess(context).run(command, env);

    var outputs = new LinkedHashMap<String, Object>(result.outputs());
    outputs.putAll(OutputFiles.outputsJson(out));
    outputs.put("exitCode", 0);
    OutputFiles files = OutputFiles.scan(out);
    if (!files.data().isEmpty()) {
      outputs.put("files", files.data().stream().map(p -> p.getFileName().toString()).toList());
    }
    Path chosen = files.chosen(config.dataset());
    if (chosen == null) {
      return TaskResult.of(outputs);
    }
    Dataset dataset = OutputFiles.stage(chosen, context);
    return TaskResult.of(dataset, outputs);
  }

  private static Path scriptFile(Config config, TaskContext context) throws Exception {
    if (config.file() != null) {
      Path f = context.workDir().resolve(config.file());
      if (!Files.isRegularFile(f)) {
        throw TaskFailedException.permanent(
            "python file '"
                + config.file()
                + "' does not exist ("
                + f.toAbsolutePath()
                + "); give a path relative to the flow file's directory");
      }
      return f.toAbsolutePath();
    }
    Path f = context.stagingDir().resolve("script.py");
    Files.writeString(f, config.script());
    return f;
  }
}
