package dev.weir.server.api;

import dev.weir.server.cluster.ClusterNode;
import dev.weir.store.NodeRecord;
import dev.weir.store.StateStore;
import java.util.function.Consumer;

/** {@code GET /cluster/nodes}: the nodes of the cluster on this server's store. */
public final class ClusterRoutes implements Consumer<Routes> {
  private final StateStore store;
  private final ClusterNode self;

  public ClusterRoutes(StateStore store, ClusterNode self) {
    this.store = store;
    this.self = self;
  }

  @Override
  public void accept(Routes r) {
    r.get(
        "/cluster/nodes",
        ctx -> {
          var o = Json.MAPPER.createObjectNode();
          var nodes = o.putArray("nodes");
          for (NodeRecord n : store.nodes()) {
            var j = nodes.addObject();
            boolean me = n.id().equals(self.nodeId()) && n.epoch() == self.epoch();
            j.put("id", n.id());
            j.put("epoch", n.epoch());
            j.put("role", n.role());
            j.put("host", n.host());
            j.put("pid", n.pid());
            j.put("startedAt", n.startedAt().toString());
            j.put("renewedAt", n.renewedAt().toString());
            j.put("leaseUntil", n.leaseUntil().toString());
            j.put("alive", n.alive());
            j.put("self", me);
            j.put("leadsFlows", me && self.leadsFlows());
          }
          ctx.json(o);
        });
  }
}
