package dev.weir.engine;

import dev.weir.WeirException;
import dev.weir.flow.Flow;
import dev.weir.flow.FlowParser;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The flow definitions stored runs were started with ({@link Engine#flowOf}): their revisions'
 * stored text, parsed. The last few are kept: a worker runs many attempts of one revision, a node
 * adopts many runs of it.
 */
final class StoredFlows {
  private static final int KEPT = 32;

  private final StateStore store;
  private final FlowParser parser;
  // the last parses, by revision and file: immutable, so shared by every caller
  private final Map<String, Flow> parsed =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Flow> eldest) {
          return size() > KEPT;
        }
      };

  StoredFlows(StateStore store, FlowParser parser) {
    this.store = store;
    this.parser = parser;
  }

  Flow of(RunRecord run) {
    String key = run.revision() + "\u0000" + run.flowFile();
    synchronized (parsed) {
      Flow kept = parsed.get(key);
      if (kept != null) {
        return kept;
      }
    }
    String text =
        store
            .revisionText(run.revision())
            .orElseThrow(() ->
                new WeirException(
                    "the flow revision "
                        + run.revision()
                        + " of run "
                        + run.id()
                        + " is missing from the store"));
    Flow flow = parser.parse(run.flowFile(), text);
    synchronized (parsed) {
      parsed.put(key, flow);
    }
    return flow;
  }
}
