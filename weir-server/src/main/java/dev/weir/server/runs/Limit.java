package dev.weir.server.runs;

import dev.weir.flow.Flow;

/** A flow's {@code concurrency}: at most {@code max} runs at once, and what to do beyond. */
record Limit(int max, OnLimit onLimit) {
  enum OnLimit {
    QUEUE,
    SKIP,
    FAIL
  }

  /** The flow's limit, or null when it has none. */
  static Limit of(Flow flow) {
    var node = flow.concurrency();
    if (node == null || node.isNull()) {
      return null;
    }
    int max = node.path("limit").asInt(1);
    String on = node.path("onLimit").asText("queue");
    return new Limit(max, OnLimit.valueOf(on.toUpperCase(java.util.Locale.ROOT)));
  }
}
