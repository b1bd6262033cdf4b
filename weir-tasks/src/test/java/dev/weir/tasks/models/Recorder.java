package dev.weir.tasks.models;

import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A {@link ProjectRunner.Listener} for tests: what started and finished, and how many at once. */
final class Recorder implements ProjectRunner.Listener {
  final Set<String> started = ConcurrentHashMap.newKeySet();
  final Queue<NodeResult> finished = new ConcurrentLinkedQueue<>();
  final Set<String> threads = ConcurrentHashMap.newKeySet();
  final AtomicInteger running = new AtomicInteger();
  final AtomicInteger max = new AtomicInteger();
  private final long pauseMillis;
  private final Consumer<GraphNode> onStart;

  /** {@code pauseMillis}: each started node holds its slot a little longer, so runs overlap. */
  Recorder(long pauseMillis, Consumer<GraphNode> onStart) {
    this.pauseMillis = pauseMillis;
    this.onStart = onStart;
  }

  Recorder() {
    this(0, n -> {});
  }

  @Override
  public void started(GraphNode node) {
    started.add(node.id());
    threads.add(Thread.currentThread().getName());
    max.accumulateAndGet(running.incrementAndGet(), Math::max);
    onStart.accept(node);
    if (pauseMillis > 0) {
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void finished(NodeResult result) {
    if (started.contains(result.id())) {
      running.decrementAndGet();
    }
    finished.add(result);
  }
}
