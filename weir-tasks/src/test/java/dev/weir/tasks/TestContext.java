package dev.weir.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.weir.config.ConnectionConfig;
import dev.weir.flow.ConfigBinder;
import dev.weir.store.CheckRecord;
import dev.weir.task.Dataset;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskLogger;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real, minimal run for task tests: one work directory, a staging directory per task, the
 * datasets staged so far, and a log kept in memory. Tasks run one after the other, as in a linear
 * flow.
 */
public final class TestContext {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Path workDir;
  private final Map<String, Dataset> datasets = new LinkedHashMap<>();
  private final Map<String, ConnectionConfig> connections = new LinkedHashMap<>();
  private final Map<String, String> environment = new LinkedHashMap<>(System.getenv());
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final Map<String, String> state = new LinkedHashMap<>();
  private final List<CheckRecord> checks = new CopyOnWriteArrayList<>();
  private final Map<String, List<Long>> rowHistory = new LinkedHashMap<>();
  private volatile Attempt current;
  private volatile InstantSource clock = InstantSource.system();
  // what stream tasks reported through stream(), in order
  private final List<String> streamReports = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile dev.weir.deadletter.DeadLetterSpec deadLetter;
  private volatile dev.weir.store.StateStore store;
  private volatile dev.weir.task.StreamMode streamMode = dev.weir.task.StreamMode.CONTINUOUS;

  /** What stream tasks reported ({@code TaskContext.stream()}), oldest first. */
  public List<String> streamReports() {
    return streamReports;
  }

  public TestContext(Path workDir) {
    this.workDir = workDir;
  }

  /** Binds {@code yaml} as the properties of a {@code type} task and runs one attempt of it. */
  public <C extends Record> TaskResult run(String taskId, TaskType<C> type, String yaml)
      throws Exception {
    return run(taskId, type, properties(yaml));
  }

  public <C extends Record> TaskResult run(String taskId, TaskType<C> type, JsonNode properties)
      throws Exception {
    C config = bind(type, properties);
    List<String> problems = type.validate(config);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    var attempt = new Attempt(taskId);
    current = attempt;
    TaskResult result;
    if (deadLetter == null || !type.setsRecordsAside()) {
      result = type.run(config, attempt);
    } else {
      // as the engine does: letters kept when the task succeeds or sets aside too many
      try (var sink =
          dev.weir.deadletter.DeadLetterSink.open(
              deadLetter,
              new dev.weir.deadletter.Origin("default", "test", "run-1", taskId, 1),
              type.name(),
              new dev.weir.deadletter.DeadLetterStorage.Environment(workDir, attempt::connection),
              attempt::mask,
              store == null ? null : store.deadLetters(), // indexed once a store is given
              clock)) {
        attempt.deadLetters = sink;
        result = type.run(config, attempt);
        var outputs = new LinkedHashMap<String, Object>(result.outputs());
        outputs.putAll(sink.finish());
        result = new TaskResult(outputs, result.dataset(), result.state(), result.audit());
      }
    }
    if (result.dataset() != null) {
      datasets.put(taskId, result.dataset());
    }
    // as if the run succeeded: the task's proposed state is kept for the next run
    result.state().forEach((k, v) -> state.put(taskId + "/" + k, v));
    return result;
  }

  /** The problems {@code validate} finds with a config given as YAML. */
  public static <C extends Record> List<String> problems(TaskType<C> type, String yaml) {
    return type.validate(bind(type, properties(yaml)));
  }

  public static <C extends Record> C bind(TaskType<C> type, JsonNode properties) {
    return ConfigBinder.bind(properties, type.configType());
  }

  private static JsonNode properties(String yaml) {
    try {
      JsonNode node = YAML.readTree(yaml);
      return node == null || node.isMissingNode() ? JsonNodeFactory.instance.objectNode() : node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Gives the tasks run from now on this {@code deadLetter:} setting, e.g. {@code {path: dead/,
   * maxRejected: 1}}: letters go to {@code <workDir>/dead/run-1/<task>-1.jsonl}.
   */
  public TestContext deadLetter(String path, String maxRejected) {
    this.deadLetter = new dev.weir.deadletter.DeadLetterSpec(path, null, null, maxRejected);
    return this;
  }

  /** Gives the tasks run from now on this {@code deadLetter:} setting (an S3 prefix, a table). */
  public TestContext deadLetter(dev.weir.deadletter.DeadLetterSpec spec) {
    this.deadLetter = spec;
    return this;
  }

  /** The first {@code limit} letters at {@code location}, read back as weir deadletters does. */
  public List<com.fasterxml.jackson.databind.node.ObjectNode> read(String location)
      throws Exception {
    return dev.weir.deadletter.DeadLetterStorages.forLocation(location)
        .read(
            location,
            1000,
            new dev.weir.deadletter.DeadLetterStorage.Environment(
                workDir, name -> connections.get(name)));
  }

  /** The letters task {@code taskId} wrote with {@link #deadLetter}, one JSON text a line. */
  public List<String> letters(String taskId) throws IOException {
    Path f = workDir.resolve(deadLetter.path()).resolve("run-1/" + taskId + "-1.jsonl");
    return Files.exists(f) ? Files.readAllLines(f) : List.of();
  }

  /** Cancels the attempt running now, as the engine does on a timeout. */
  public void cancel() {
    Attempt a = current;
    if (a != null) {
      a.cancel();
    }
  }

  public TestContext connection(ConnectionConfig connection) {
    connections.put(connection.name(), connection);
    return this;
  }

  public TestContext connection(String name, String url) {
    connections.put(name, ConnectionConfig.jdbc(name, url, null, null, Map.of()));
    return this;
  }

  /** Kept task state, e.g. {@code state("extract", "watermark")}. */
  public String state(String taskId, String key) {
    return state.get(taskId + "/" + key);
  }

  /** The clock tasks see, e.g. {@code InstantSource.fixed(...)}. */
  public TestContext clock(InstantSource clock) {
    this.clock = clock;
    return this;
  }

  /** The state store stream tasks keep their offsets in; an H2 store in the work dir if unset. */
  public synchronized dev.weir.store.StateStore store() {
    if (store == null) {
      store = dev.weir.store.JdbcStateStore.h2(workDir.resolve(".weir"));
    }
    return store;
  }

  /**
   * Closes the state store, if one was opened: before the test's temporary directory is deleted, so
   * that no H2 file appears in it while it goes.
   */
  public synchronized void closeStore() {
    if (store != null) {
      store.close();
      store = null;
    }
  }

  /** How stream tasks end, as {@code weir run --until-caught-up} sets it. */
  public TestContext streamMode(dev.weir.task.StreamMode mode) {
    this.streamMode = mode;
    return this;
  }

  public TestContext store(dev.weir.store.StateStore store) {
    this.store = store;
    return this;
  }

  public TestContext env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  public Path workDir() {
    return workDir;
  }

  public Dataset dataset(String taskId) {
    return datasets.get(taskId);
  }

  /** Check results the tasks stored, in order (an attempt's replace its earlier ones). */
  public List<CheckRecord> checks() {
    return List.copyOf(checks);
  }

  /** Row counts of {@code taskId}'s dataset in earlier successful runs, newest first. */
  public TestContext rowHistory(String taskId, List<Long> newestFirst) {
    rowHistory.put(taskId, List.copyOf(newestFirst));
    return this;
  }

  /** Log lines as {@code LEVEL message}. */
  public List<String> log() {
    return List.copyOf(log);
  }

  private final class Attempt implements TaskContext {
    private final String taskId;
    private final Path staging;
    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;
    volatile dev.weir.deadletter.DeadLetters deadLetters = dev.weir.deadletter.DeadLetters.NONE;

    Attempt(String taskId) {
      this.taskId = taskId;
      this.staging = workDir.resolve(".staging").resolve(taskId);
      try {
        if (Files.exists(staging)) {
          try (var files = Files.walk(staging)) {
            files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
          }
        }
        Files.createDirectories(staging);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void cancel() {
      cancelled = true;
      hooks.forEach(Runnable::run);
    }

    @Override
    public String runId() {
      return "run-1";
    }

    @Override
    public String flowId() {
      return "test_flow";
    }

    @Override
    public String namespace() {
      return "test";
    }

    @Override
    public String taskId() {
      return taskId;
    }

    @Override
    public int attempt() {
      return 1;
    }

    @Override
    public TaskLogger logger() {
      return (level, message) -> log.add(level + " " + message);
    }

    @Override
    public Path workDir() {
      return workDir;
    }

    @Override
    public Path stagingDir() {
      return staging;
    }

    @Override
    public Dataset dataset(String id) {
      Dataset d = datasets.get(id);
      if (d == null) {
        throw new TaskFailedException(
            "no dataset '" + id + "' in this run (datasets: " + datasets.keySet() + ")");
      }
      return d;
    }

    @Override
    public Map<String, Dataset> upstreamDatasets() {
      var m = new LinkedHashMap<>(datasets);
      m.remove(taskId);
      return m;
    }

    @Override
    public ConnectionConfig connection(String name) {
      ConnectionConfig c = connections.get(name);
      if (c == null) {
        throw new TaskFailedException(
            "no connection '" + name + "' (known: " + new ArrayList<>(connections.keySet()) + ")");
      }
      return c;
    }

    @Override
    public java.util.Optional<String> state(String key) {
      return java.util.Optional.ofNullable(state.get(taskId + "/" + key));
    }

    @Override
    public void saveChecks(List<CheckRecord> records) {
      checks.removeIf(c -> c.taskId().equals(taskId));
      checks.addAll(records);
    }

    @Override
    public List<Long> pastRowCounts(String id, int runs) {
      List<Long> all = rowHistory.getOrDefault(id, List.of());
      return all.subList(0, Math.min(runs, all.size()));
    }

    @Override
    public Map<String, String> environment() {
      return Map.copyOf(environment);
    }

    @Override
    public String mask(String text) {
      return text;
    }

    @Override
    public void onCancel(Runnable hook) {
      hooks.add(hook);
      if (cancelled) {
        hook.run();
      }
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public InstantSource clock() {
      return clock;
    }

    @Override
    public dev.weir.task.StreamProgress stream() {
      return new dev.weir.task.StreamProgress() {
        @Override
        public void batchApplied(int changes, long[] lagMillis) {
          streamReports.add("batch " + changes + " changes, " + lagMillis.length + " lags");
        }

        @Override
        public void waiting(int changes, long oldestLagMillis) {
          streamReports.add("waiting " + changes + " changes, oldest " + oldestLagMillis + " ms");
        }

        @Override
        public void positionLost(String detail, boolean resnapshotting) {
          streamReports.add(
              "position lost" + (resnapshotting ? " (resnapshot)" : " (fail)") + ": " + detail);
        }
      };
    }

    @Override
    public dev.weir.deadletter.DeadLetters deadLetters() {
      return deadLetters;
    }

    @Override
    public dev.weir.task.StreamMode streamMode() {
      return streamMode;
    }

    @Override
    public dev.weir.task.StreamOffsets streamOffsets() {
      var key = new dev.weir.store.StreamOffsetStore.StreamKey("test", "flow", taskId);
      var offsets = store().streamOffsets();
      return new dev.weir.task.StreamOffsets() {
        @Override
        public Map<String, String> load() {
          return offsets.offsets(key);
        }

        @Override
        public void save(Map<String, String> entries) {
          offsets.saveOffsets(key, entries);
        }

        @Override
        public List<String> history() {
          return offsets.history(key);
        }

        @Override
        public void appendHistory(List<String> records) {
          offsets.appendHistory(key, records);
        }

        @Override
        public void clear() {
          offsets.clear(key);
        }
      };
    }

    @Override
    public dev.weir.task.Subflows subflows() {
      throw TaskFailedException.permanent(
          "a TestContext runs no subflows; run the flow on a real engine (EngineFixture)");
    }
  }
}
