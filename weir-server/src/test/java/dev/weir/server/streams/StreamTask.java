package dev.weir.server.streams;

import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code test.stream}: runs until cancelled, like a CDC task; {@code failAfterMs} makes an attempt
 * fail after that long instead, {@code succeedAfterMs} end well (a stream told to stop when caught
 * up); {@code lagMs} reports a batch of 10 changes that late every 50 ms, {@code losePosition}
 * reports a lost position at the start. Counts the attempts that run at once, per flow.
 */
public final class StreamTask implements TaskType<StreamTask.Config> {
  public record Config(Long failAfterMs, Long succeedAfterMs, Long lagMs, Boolean losePosition) {}

  static final Map<String, AtomicInteger> RUNNING = new ConcurrentHashMap<>();
  static final Map<String, AtomicInteger> MOST_AT_ONCE = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "test.stream";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public boolean runsContinuously() {
    return true;
  }

  @Override
  public TaskResult run(Config c, TaskContext ctx) throws Exception {
    String flow = ctx.namespace() + "/" + ctx.flowId();
    int now = RUNNING.computeIfAbsent(flow, k -> new AtomicInteger()).incrementAndGet();
    MOST_AT_ONCE.computeIfAbsent(flow, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    var stop = new CountDownLatch(1);
    ctx.onCancel(stop::countDown);
    if (Boolean.TRUE.equals(c.losePosition())) {
      ctx.stream().positionLost("replication slot weir_test is gone; snapshotting again", true);
    }
    try {
      if (c.lagMs() != null) {
        long[] lags = new long[10];
        java.util.Arrays.fill(lags, c.lagMs());
        long end =
            c.succeedAfterMs() == null
                ? Long.MAX_VALUE
                : System.currentTimeMillis() + c.succeedAfterMs();
        while (!stop.await(50, TimeUnit.MILLISECONDS) && System.currentTimeMillis() < end) {
          ctx.stream().batchApplied(10, lags);
        }
        return TaskResult.empty();
      }
      if (c.succeedAfterMs() != null) {
        stop.await(c.succeedAfterMs(), TimeUnit.MILLISECONDS);
        return TaskResult.empty();
      }
      long limit = c.failAfterMs() == null ? TimeUnit.MINUTES.toMillis(2) : c.failAfterMs();
      if (!stop.await(limit, TimeUnit.MILLISECONDS)) {
        throw TaskFailedException.permanent("the stream broke (test)");
      }
      return TaskResult.empty();
    } finally {
      RUNNING.computeIfAbsent(flow, k -> new AtomicInteger()).decrementAndGet();
    }
  }
}
