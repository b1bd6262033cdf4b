package dev.weir.server.flows;

/** A flow's identity in a server: namespace and id. */
public record FlowKey(String namespace, String id) {
  @Override
  public String toString() {
    return namespace + "/" + id;
  }
}
