package dev.weir.testing;

import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Task types for engine tests; names start with {@code test.}. */
public final class TestTasks {
  /** Every attempt started, as "runId/taskId/attempt", in order. */
  public static final List<String> STARTED = new CopyOnWriteArrayList<>();

  /** The MDC each attempt ran with, in the order they started. */
  public static final List<Map<String, String>> MDC_SEEN = new CopyOnWriteArrayList<>();

  private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
  private static final Map<String, CountDownLatch> LATCHES = new ConcurrentHashMap<>();

  /** {@code test.block} attempts inside their task now, and the most there were at once. */
  public static final AtomicInteger INSIDE = new AtomicInteger();

  public static final AtomicInteger MAX_INSIDE = new AtomicInteger();

  // which reset the counts are of: a task of an earlier test that leaves after the reset (an
  // engine's close interrupts its blocked tasks without waiting for them) must not count down
  // the next test's INSIDE; guarded by the class lock with the counts
  private static long generation;

  private TestTasks() {}

  public static void reset() {
    STARTED.clear();
    MDC_SEEN.clear();
    CALLS.clear();
    LATCHES.clear();
    synchronized (TestTasks.class) {
      generation++;
      INSIDE.set(0);
      MAX_INSIDE.set(0);
    }
  }

  private static synchronized long enter() {
    MAX_INSIDE.accumulateAndGet(INSIDE.incrementAndGet(), Math::max);
    return generation;
  }

  private static synchronized void leave(long enteredIn) {
    if (enteredIn == generation) {
      INSIDE.decrementAndGet();
    }
  }

  /** Lets every {@code test.block} task waiting for {@code latch} (or coming later) finish. */
  public static void open(String latch) {
    latch(latch).countDown();
  }

  private static CountDownLatch latch(String name) {
    return LATCHES.computeIfAbsent(name, k -> new CountDownLatch(1));
  }

  /** Attempts started for one task of one run. */
  public static long started(String runId, String taskId) {
    return STARTED.stream().filter(s -> s.startsWith(runId + "/" + taskId + "/")).count();
  }

  /** This attempt's number among the calls of its task run in its run: 1, 2, … */
  private static int call(TaskContext ctx) {
    return CALLS
        .computeIfAbsent(ctx.runId() + "/" + ctx.taskId(), k -> new AtomicInteger())
        .incrementAndGet();
  }

  private static void record(TaskContext ctx) {
    STARTED.add(ctx.runId() + "/" + ctx.taskId() + "/" + ctx.attempt());
    var mdc = org.slf4j.MDC.getCopyOfContextMap();
    MDC_SEEN.add(mdc == null ? Map.of() : Map.copyOf(mdc));
  }

  /**
   * Declares {@code command} a shell script, as {@code shell} does, for validation's warnings; logs
   * the rendered command instead of running it.
   */
  public static final class Script implements TaskType<Script.Config> {
    public record Config(
        @Required(example = "echo \"$DAY\"") String command, Map<String, String> env) {}

    @Override
    public String name() {
      return "test.script";
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    @Override
    public java.util.Set<String> shellScriptProperties() {
      return java.util.Set.of("command");
    }

    @Override
    public TaskResult run(Config c, TaskContext ctx) {
      ctx.logger().info(c.command());
      return TaskResult.empty();
    }
  }

  /** Succeeds; outputs whatever {@code values} says and logs {@code message}. */
  public static final class Ok implements TaskType<Ok.Config> {
    public record Config(Map<String, Object> values, String message, String connection) {}

    @Override
    public String name() {
      return "test.ok";
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    @Override
    public TaskResult run(Config c, TaskContext ctx) {
      record(ctx);
      if (c.message() != null) {
        ctx.logger().info(c.message());
      }
      return TaskResult.of(c.values() == null ? Map.of() : new LinkedHashMap<>(c.values()));
    }
  }

  /**
   * Fails the first {@code failures} attempts of a run, then succeeds; with {@code only} set, only
   * when it renders {@code true} (e.g. for one forEach item).
   */
  public static final class Flaky implements TaskType<Flaky.Config> {
    public record Config(@Required(example = "2") Integer failures, String message, String only) {}

    @Override
    public String name() {
      return "test.flaky";
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    @Override
    public TaskResult run(Config c, TaskContext ctx) {
      record(ctx);
      int n = call(ctx);
      if (n <= c.failures() && (c.only() == null || c.only().equals("true"))) {
        throw new TaskFailedException(
            (c.message() == null ? "flaky failure" : c.message()) + " #" + n);
      }
      return TaskResult.of(Map.of("calls", n));
    }
  }

  /**
   * Handles {@code records}, setting aside those in {@code bad} with the reason {@code <record>:
   * bad}; fails its first {@code failFirst} calls after setting them aside (to retry).
   */
  public static final class Rejects implements TaskType<Rejects.Config> {
    public record Config(
        @Required(example = "[a, b]") List<String> records, List<String> bad, Integer failFirst) {}

    @Override
    public String name() {
      return "test.rejects";
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    @Override
    public boolean setsRecordsAside() {
      return true;
    }

    @Override
    public TaskResult run(Config c, TaskContext ctx) {
      record(ctx);
      int n = call(ctx);
      List<String> bad = c.bad() == null ? List.of() : c.bad();
      int good = 0;
      for (String r : c.records()) {
        if (bad.contains(r)) {
          ctx.deadLetters().reject(Map.of("value", r), r + ": bad");
        } else {
          good++;
        }
      }
      ctx.deadLetters().handled(c.records().size());
      if (c.failFirst() != null && n <= c.failFirst()) {
        throw new TaskFailedException("failure after rejecting #" + n);
      }
      return TaskResult.of(Map.of("good", good));
    }
  }

  /**
   * A sensor: its first {@code notYet} checks in a run find nothing (and ask to be checked again
   * after {@code interval}), the next one succeeds with the number of checks.
   */
  public static final class Sensor implements TaskType<Sensor.Config> {
    public record Config(@Required(example = "2") Integer notYet, String interval) {}

    @Override
    public String name() {
      return "test.sensor";
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    @Override
    public TaskResult run(Config c, TaskContext ctx) {
      record(ctx);
      int n = call(ctx);
      if (n <= c.notYet()) {
        Duration every = dev.weir.flow.Durations.parse(c.interval() == null ? "1m" : c.interval());
        throw dev.weir.task.Reschedule.in(every, "check " + n + ": not there yet");
      }
      return TaskResult.of(Map.of("checks", n));
    }
  }

  /** Outputs the kept state "count" (0 at first) and proposes count + 1 for the next run. */
  public static final class Counter implements TaskType<Counter.Config> {
    public record Config() {}

    @Override
    public String name() {
      return "test.counter";
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    @Override
    public TaskResult run(Config c, TaskContext ctx) {
      record(ctx);
      int count = Integer.parseInt(ctx.state("count").orElse("0"));
      return TaskResult.of(Map.of("count", count))
          .withState(Map.of("count", String.valueOf(count + 1)));
    }
  }

  /** Always fails; with {@code connectionFailure: true} as a task that cannot reach its system. */
  public static final class Fail implements TaskType<Fail.Config> {
    public record Config(
        String message, Boolean retryable, String connection, Boolean connectionFailure) {}

    @Override
    public String name() {
      return "test.fail";
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    @Override
    public TaskResult run(Config c, TaskContext ctx) {
      record(ctx);
      String m = c.message() == null ? "boom" : c.message();
      if (Boolean.TRUE.equals(c.connectionFailure())) {
        throw TaskFailedException.connection(m, null);
      }
      throw new TaskFailedException(m, c.retryable() == null || c.retryable(), Map.of(), null);
    }
  }

  /** Sleeps, interruptibly. */
  public static final class Sleep implements TaskType<Sleep.Config> {
    public record Config(@Required(example = "5s") Duration duration) {}

    @Override
    public String name() {
      return "test.sleep";
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    @Override
    public TaskResult run(Config c, TaskContext ctx) throws InterruptedException {
      record(ctx);
      Thread.sleep(c.duration().toMillis());
      return TaskResult.empty();
    }
  }

  /**
   * Waits (interruptibly) until the test calls {@link #open} with its {@code latch}, counting how
   * many such tasks are inside at once.
   */
  public static final class Block implements TaskType<Block.Config> {
    public record Config(@Required(example = "go") String latch, String connection) {}

    @Override
    public String name() {
      return "test.block";
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    @Override
    public TaskResult run(Config c, TaskContext ctx) throws InterruptedException {
      record(ctx);
      long enteredIn = enter();
      try {
        latch(c.latch()).await();
      } finally {
        leave(enteredIn);
      }
      return TaskResult.empty();
    }
  }

  /** Reads a dataset by task id (for validation of dataset references). */
  public static final class Reads implements TaskType<Reads.Config> {
    public record Config(@Required(example = "extract") String dataset) {}

    @Override
    public String name() {
      return "test.reads";
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    @Override
    public List<String> datasetInputs(Config c) {
      return List.of(c.dataset());
    }

    @Override
    public TaskResult run(Config c, TaskContext ctx) {
      record(ctx);
      return TaskResult.of(Map.of("rows", ctx.dataset(c.dataset()).rowCount()));
    }
  }
}
