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
 * up). Counts the attempts that run at once, per flow.
 */
public final class StreamTask implements TaskType<StreamTask.Config> {
  public record Config(Long failAfterMs, Long succeedAfterMs) {}

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
    try {
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
