package dev.weir.testing;

import dev.weir.task.Audit;
import dev.weir.task.DatasetRef;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code test.steps}: records steps as a {@code sql.models} task does. Two steps load tables (with
 * audit datasets, on two threads), {@code broken} fails with {@code message}, {@code after_broken}
 * is recorded as upstream failed; {@code parallel: n} adds n steps on n threads; {@code latch}
 * leaves step {@code slow} open until the test opens it; {@code failFirst} fails the first call;
 * {@code reuse} tries a bad name, then starts {@code p0} a second time; {@code sequence: n} adds n
 * steps {@code s0}… one after another on the task's thread, a millisecond each with one log line,
 * as a sequential models run does. Its log's first line names the steps that succeeded in earlier
 * attempts.
 */
public final class StepTasks implements TaskType<StepTasks.Config> {
  public record Config(
      String message,
      String latch,
      Integer parallel,
      Boolean failFirst,
      Boolean reuse,
      Integer sequence) {}

  private static final Map<String, CountDownLatch> LATCHES = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

  public static void open(String latch) {
    latch(latch).countDown();
  }

  public static void reset() {
    LATCHES.clear();
    CALLS.clear();
  }

  private static CountDownLatch latch(String name) {
    return LATCHES.computeIfAbsent(name, k -> new CountDownLatch(1));
  }

  @Override
  public String name() {
    return "test.steps";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public TaskResult run(Config c, TaskContext ctx) throws Exception {
    var steps = ctx.steps();
    ctx.logger().info("succeeded earlier: " + new java.util.TreeSet<>(steps.succeededEarlier()));
    String message = c.message() == null ? "boom" : c.message();
    var threads = new ArrayList<Thread>();
    for (String table : new String[] {"orders", "customers"}) {
      threads.add(
          Thread.ofVirtual()
              .start(() -> {
                var s = steps.start("load_" + table);
                s.logger().info("loading " + table + " (" + message + ")");
                s.succeed(
                    Map.of("rows", 3, "sql", "select * from raw." + table),
                    Audit.NONE
                        .read(3)
                        .written(3)
                        .input(new DatasetRef("postgres://db:5432", "shop.raw." + table))
                        .output(new DatasetRef("postgres://db:5432", "shop.mart." + table)));
              }));
    }
    int parallel = c.parallel() == null ? 0 : c.parallel();
    for (int i = 0; i < parallel; i++) {
      int n = i;
      threads.add(
          Thread.ofVirtual()
              .start(() -> steps.start("p" + n).succeed(Map.of("n", n), Audit.NONE.written(n))));
    }
    for (Thread t : threads) {
      t.join();
    }
    for (int i = 0; i < (c.sequence() == null ? 0 : c.sequence()); i++) {
      var s = steps.start("s" + i);
      s.logger().info("step " + i);
      Thread.sleep(1);
      s.succeed(Map.of(), Audit.NONE);
    }
    if (Boolean.TRUE.equals(c.reuse())) {
      try {
        steps.start("bad name!");
        throw new AssertionError("a bad step name was taken");
      } catch (IllegalArgumentException e) {
        ctx.logger().info(e.getMessage());
      }
      steps.start("p0"); // used: fails the attempt
    }
    var broken = steps.start("broken");
    broken.logger().error("failing: " + message);
    broken.fail("model broken: " + message, Map.of(), Audit.NONE);
    steps.skipped("after_broken", "upstream step broken failed", true);
    if (c.latch() != null) {
      var slow = steps.start("slow");
      latch(c.latch()).await();
      slow.succeed(Map.of(), Audit.NONE);
    }
    int call =
        CALLS
            .computeIfAbsent(ctx.runId() + "/" + ctx.taskId(), k -> new AtomicInteger())
            .incrementAndGet();
    if (Boolean.TRUE.equals(c.failFirst()) && call == 1) {
      throw TaskFailedException.permanent("first call fails");
    }
    return TaskResult.of(Map.of("models", 2));
  }
}
