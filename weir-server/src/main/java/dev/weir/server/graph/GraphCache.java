package dev.weir.server.graph;

import dev.weir.flow.Flow;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One layout per flow revision (the source's hash), computed on first use and kept for the most
 * recently used revisions. Two pages asking for the same new revision at once compute it once.
 */
public final class GraphCache {
  static final int REVISIONS = 64;

  private final Map<String, FlowGraph.Layout> recent =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, FlowGraph.Layout> eldest) {
              return size() > REVISIONS;
            }
          });
  private final Map<String, Object> computing = new ConcurrentHashMap<>();

  /** The layout of {@code flow}, whose source hash is {@code revision}. */
  public FlowGraph.Layout layout(String revision, Flow flow) {
    FlowGraph.Layout l = recent.get(revision);
    if (l != null) {
      return l;
    }
    Object lock = computing.computeIfAbsent(revision, k -> new Object());
    synchronized (lock) {
      l = recent.get(revision);
      if (l == null) {
        l = FlowGraph.layout(flow);
        recent.put(revision, l);
      }
    }
    computing.remove(revision);
    return l;
  }
}
