package dev.weir.store;

import dev.weir.WeirException;

/**
 * A write about a run that another claim took over since this writer claimed it (a node that was
 * stopped or cut off past its lease, a forced resume elsewhere): nothing of the write was stored.
 * The writer stops executing the run and discards what its attempts produce.
 */
public final class FencedOffException extends WeirException {
  private final transient Fence fence;

  public FencedOffException(Fence fence, long current, String owner) {
    super(
        "run "
            + fence.runId()
            + " was taken over by "
            + (owner == null ? "another process" : owner)
            + " (fencing token "
            + current
            + ", this writer holds "
            + fence.token()
            + "); nothing was written and this process stops executing it");
    this.fence = fence;
  }

  public Fence fence() {
    return fence;
  }
}
