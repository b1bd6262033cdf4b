package dev.weir.server.graph;

import dev.weir.flow.Flow;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lays out each new flow revision in the background as soon as it is deployed, so that the first
 * person to open one of its runs does not wait for it (ELK takes about 3 s for 5,000 tasks on the
 * 2-core build machine). One low-priority thread: layouts never compete with runs for long.
 */
public final class GraphWarmer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GraphWarmer.class);

  private final GraphCache cache;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "weir-graph-layout");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
      });

  public GraphWarmer(GraphCache cache) {
    this.cache = cache;
  }

  /** Smaller flows are laid out on first use in well under a second (500 tasks: ~1 s). */
  static final int MIN_TASKS = 300;

  /**
   * Queues the layout of {@code flow} (revision {@code hash}) when it is big enough for a page to
   * wait on it; a server of thousands of small flows lays out none of them at start.
   */
  public void warm(String hash, Flow flow) {
    if (flow.allTasks().size() < MIN_TASKS) {
      return;
    }
    try {
      thread.execute(() -> {
        try {
          cache.layout(hash, flow);
        } catch (RuntimeException e) {
          log.warn("laying out {}.{} failed: {}", flow.namespace(), flow.id(), e.toString());
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // the server is stopping
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
