package dev.weir.testing;

import dev.weir.engine.Engine;
import dev.weir.engine.EngineOptions;
import dev.weir.engine.RunHandle;
import dev.weir.engine.RunListener;
import dev.weir.engine.TaskGate;
import dev.weir.flow.Flow;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import dev.weir.task.TaskRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/** An engine on a fresh H2 store in a temp dir; runs YAML text as a flow file. */
public final class EngineFixture implements AutoCloseable {
  public final Path dir;
  public final StateStore store;
  public final Engine engine;
  public final Map<String, String> env;

  public EngineFixture(Path dir) {
    this(dir, JdbcStateStore.h2(dir.resolve(".weir")), Map.of(), RunListener.NONE);
  }

  public EngineFixture(Path dir, StateStore store, Map<String, String> extraEnv, RunListener l) {
    this(dir, store, extraEnv, l, null);
  }

  /** An engine whose attempts wait at {@code gate} (pools, circuit breakers). */
  public EngineFixture(Path dir, TaskGate gate) {
    this(dir, JdbcStateStore.h2(dir.resolve(".weir")), Map.of(), RunListener.NONE, gate);
  }

  public EngineFixture(
      Path dir, StateStore store, Map<String, String> extraEnv, RunListener l, TaskGate gate) {
    this(dir, store, extraEnv, new EngineOptions(dir.resolve(".weir"), null, null, null, l, gate));
  }

  /** An engine whose clock and timer move only when the test advances {@code timer}. */
  public EngineFixture(Path dir, StateStore store, ManualTimer timer) {
    this(dir, store, Map.of(), EngineOptions.defaults(dir.resolve(".weir")).withTimer(timer));
  }

  /** An engine with these options (and the process environment) on {@code store}. */
  public EngineFixture(
      Path dir, StateStore store, Map<String, String> extraEnv, EngineOptions options) {
    this.dir = dir;
    this.store = store;
    this.env = new HashMap<>(System.getenv());
    this.env.putAll(extraEnv);
    this.engine =
        new Engine(
            store,
            TaskRegistry.load(),
            new EngineOptions(
                options.home(),
                options.clock(),
                env,
                null,
                options.listener(),
                options.gate(),
                options.timer(),
                options.subflows(),
                options.claimant(),
                options.staging()));
  }

  /**
   * Waits (at most 10 s, polling the store) until {@code check} holds for the latest attempts of
   * {@code runId}'s tasks; for tests whose time stands still, where nothing else can be awaited.
   */
  public Map<String, TaskRunRecord> awaitTasks(
      String runId, java.util.function.Predicate<Map<String, TaskRunRecord>> check) {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      Map<String, TaskRunRecord> now = latest(runId);
      boolean there;
      try {
        there = check.test(now);
      } catch (NullPointerException e) {
        there = false; // a task it looks at has no row yet
      }
      if (there) {
        return now;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("tasks of run " + runId + " never got there: " + now);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  public Path write(String name, String yaml) {
    try {
      Path f = dir.resolve(name);
      Files.createDirectories(f.getParent());
      Files.writeString(f, yaml);
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Flow parse(Path file) {
    return engine.parser().parse(file);
  }

  public RunHandle start(String yaml, Map<String, String> inputs) {
    Path f = write("flow.yaml", yaml);
    return engine.start(parse(f), f, inputs, "manual");
  }

  /** Starts a run of the flow written to {@code file}; several may run at once. */
  public RunHandle start(String file, String yaml) {
    Path f = write(file, yaml);
    return engine.start(parse(f), f, Map.of(), "manual");
  }

  /** Runs the flow to the end (at most 60 s). */
  public RunRecord run(String yaml) {
    return run(yaml, Map.of());
  }

  public RunRecord run(String yaml, Map<String, String> inputs) {
    try {
      return start(yaml, inputs).await(Duration.ofSeconds(60));
    } catch (TimeoutException e) {
      throw new AssertionError("run did not finish in 60 s", e);
    }
  }

  /** Latest attempt of each task, by task id. */
  public Map<String, TaskRunRecord> latest(String runId) {
    var m = new HashMap<String, TaskRunRecord>();
    for (TaskRunRecord r : store.taskRuns(runId)) {
      m.merge(r.taskId(), r, (a, b) -> a.attempt() >= b.attempt() ? a : b);
    }
    return m;
  }

  public List<TaskRunRecord> attempts(String runId, String taskId) {
    return store.taskRuns(runId).stream().filter(r -> r.taskId().equals(taskId)).toList();
  }

  public List<LogLine> logs(String runId) {
    return store.logs(runId, null);
  }

  @Override
  public void close() {
    engine.close();
    store.close();
  }
}
