package dev.weir.store;

import java.util.List;

/**
 * A page of a {@link RunSearch}.
 *
 * @param total how many runs the filter matches, all pages together; when {@code totalExact} is
 *     false, the filter matches more than this ({@link #COUNT_CAP}) and counting stopped there
 * @param next where the next page starts; null on the last page
 */
public record RunPage(List<RunRecord> runs, long total, boolean totalExact, RunCursor next) {
  /**
   * Counting stops past this many runs: the count of a filter that matches most of 100,000 runs
   * would cost more than its page (docs/decisions.md, "Runs list").
   */
  public static final int COUNT_CAP = 10_000;

  public RunPage {
    runs = List.copyOf(runs);
  }

  /** The opaque cursor string of the next page, null on the last page. */
  public String nextCursor() {
    return next == null ? null : next.token();
  }
}
