package dev.weir.store;

import java.util.List;

/**
 * A page of a {@link RunSearch}.
 *
 * @param total how many runs the filter matches, all pages together; at most {@code
 *     RunPage.COUNT_CAP} when {@code totalExact} is false (counting further would cost more than
 *     the page)
 * @param next where the next page starts; null on the last page
 */
public record RunPage(List<RunRecord> runs, long total, boolean totalExact, RunCursor next) {
  /** Counting stops past this many runs (0: never); see docs/decisions.md, "Runs list". */
  public static final int COUNT_CAP = 0;

  public RunPage {
    runs = List.copyOf(runs);
  }

  /** The opaque cursor string of the next page, null on the last page. */
  public String nextCursor() {
    return next == null ? null : next.token();
  }
}
