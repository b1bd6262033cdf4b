package dev.weir.server.runs;

import dev.weir.WeirException;
import dev.weir.flow.Flow;
import dev.weir.flow.FlowParser;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The flow definition a run was started with: its revision's stored text, parsed once and kept for
 * the most recently asked revisions (a page that refreshes must not parse a 5,000-task flow each
 * time).
 */
public final class RunFlows {
  static final int REVISIONS = 64;

  private final StateStore store;
  private final FlowParser parser;
  private final Map<String, Flow> recent =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Flow> eldest) {
              return size() > REVISIONS;
            }
          });

  public RunFlows(StateStore store, FlowParser parser) {
    this.store = store;
    this.parser = parser;
  }

  /** The parsed flow of {@code run}'s revision. */
  public Flow of(RunRecord run) {
    Flow f = recent.get(run.revision());
    if (f == null) {
      String text =
          store
              .revisionText(run.revision())
              .orElseThrow(() ->
                  new WeirException(
                      "the flow revision "
                          + run.revision()
                          + " of run "
                          + run.id()
                          + " is not stored"));
      f = parser.parse(run.flowFile(), text);
      recent.put(run.revision(), f);
    }
    return f;
  }
}
