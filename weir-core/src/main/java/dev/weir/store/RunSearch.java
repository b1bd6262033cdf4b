package dev.weir.store;

/**
 * One page of the runs list: the runs of {@code filter} in {@code sort} order that come after
 * {@code after} (the first page when null), at most {@code limit}.
 *
 * <p>Pages are found by key (the sort values of the last run shown), not by offset: a page deep in
 * 100,000 runs costs what the first one does, and runs created while someone pages do not shift the
 * pages after them (docs/decisions.md, "Runs list").
 */
public record RunSearch(RunFilter filter, RunSort sort, int limit, RunCursor after) {
  public static final int MAX_LIMIT = 500;
  public static final int DEFAULT_LIMIT = 50;

  public RunSearch {
    filter = filter == null ? RunFilter.ANY : filter;
    sort = sort == null ? RunSort.NEWEST : sort;
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "a page holds 1 to " + MAX_LIMIT + " runs, got limit " + limit);
    }
    if (after != null && !after.sort().equals(sort)) {
      throw new IllegalArgumentException(
          "the cursor was made for sort '"
              + after.sort()
              + "', not '"
              + sort
              + "'; keep the sort while paging, or start again without a cursor");
    }
  }

  /** The first page of {@code filter}, newest first. */
  public static RunSearch first(RunFilter filter, int limit) {
    return new RunSearch(filter, RunSort.NEWEST, limit, null);
  }

  /** The page after {@code page} in the same filter and order. */
  public RunSearch next(RunPage page) {
    return new RunSearch(filter, sort, limit, page.next());
  }
}
