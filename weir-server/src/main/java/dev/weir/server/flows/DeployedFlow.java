package dev.weir.server.flows;

import dev.weir.flow.Flow;
import java.nio.file.Path;

/**
 * A flow as the server runs it now.
 *
 * @param file where its text lives on disk; relative paths in the flow resolve beside it
 * @param revision its current revision number (1, 2, …)
 */
public record DeployedFlow(Flow flow, Path file, int revision, boolean enabled) {
  public FlowKey key() {
    return new FlowKey(flow.namespace(), flow.id());
  }

  public String hash() {
    return flow.source().hash();
  }

  DeployedFlow withEnabled(boolean on) {
    return new DeployedFlow(flow, file, revision, on);
  }
}
