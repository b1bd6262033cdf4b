package dev.weir.staging;

import dev.weir.engine.RunListener;
import dev.weir.store.RunRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the staging policy each time a run ends, so a succeeded run's staging goes as soon as
 * nothing can reuse it. The sweep runs on the ended run's thread before the run's end is reported
 * to whoever waits for it, so `weir run` leaves the home tidy when it returns.
 */
public final class StagingRetention implements RunListener {
  private static final Logger LOG = LoggerFactory.getLogger(StagingRetention.class);
  private final StagingGc gc;

  public StagingRetention(StagingGc gc) {
    this.gc = gc;
  }

  @Override
  public void runChanged(RunRecord run) {
    if (!run.state().isTerminal()) {
      return;
    }
    try {
      gc.sweep();
    } catch (RuntimeException e) {
      // a full disk or a permission problem must not turn a finished run into an error
      LOG.warn("staging retention after run {} failed: {}", run.id(), e.toString());
    }
  }
}
