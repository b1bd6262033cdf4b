package dev.weir.server.runs;

import dev.weir.flow.Flow;
import dev.weir.store.RunRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The flow definition a run was started with: its revision's stored text, parsed once and kept for
 * the most recently asked revisions (a page that refreshes must not parse a 5,000-task flow each
 * time).
 */
public final class RunFlows {
  static final int REVISIONS = 64;

  private final java.util.function.Function<RunRecord, Flow> parse;
  private final Map<String, Flow> recent =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Flow> eldest) {
              return size() > REVISIONS;
            }
          });

  /**
   * @param parse reads and parses a run's revision (the engine's {@code flowOf})
   */
  public RunFlows(java.util.function.Function<RunRecord, Flow> parse) {
    this.parse = parse;
  }

  /** The parsed flow of {@code run}'s revision. */
  public Flow of(RunRecord run) {
    Flow f = recent.get(run.revision());
    if (f == null) {
      f = parse.apply(run);
      recent.put(run.revision(), f);
    }
    return f;
  }
}
