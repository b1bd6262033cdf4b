package dev.weir.server.flows;

import dev.weir.server.store.ServerStore;
import dev.weir.server.store.ServerStore.FlowRow;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store's {@code weir_flows} rows as the registry knows them: read once (and again when another
 * node of a cluster wrote them first), so that a start with thousands of flows does not ask the
 * store about each one, and kept in step with the changes the registry makes to them.
 */
final class FlowRows {
  private final ServerStore serverStore;
  private final InstantSource clock;
  private final Map<FlowKey, FlowRow> rows = new ConcurrentHashMap<>();

  FlowRows(ServerStore serverStore, InstantSource clock) {
    this.serverStore = serverStore;
    this.clock = clock;
    reload();
  }

  /** Reads every row from the store again. */
  void reload() {
    serverStore.flows().forEach(r -> rows.put(new FlowKey(r.namespace(), r.flowId()), r));
  }

  FlowRow get(FlowKey key) {
    return rows.get(key);
  }

  void put(FlowKey key, FlowRow row) {
    rows.put(key, row);
  }

  /** Puts back rows as they were ({@code empty} for one there was none of). */
  void restore(Map<FlowKey, Optional<FlowRow>> before) {
    before.forEach((k, v) -> v.ifPresentOrElse(r -> rows.put(k, r), () -> rows.remove(k)));
  }

  /** A removed flow's file is back with the same text: its row is no longer removed. */
  void clearRemoved(FlowKey key, FlowRow row) {
    serverStore.clearRemoved(key.namespace(), key.id());
    rows.put(
        key,
        new FlowRow(
            row.namespace(), row.flowId(), row.revision(), row.hash(), row.enabled(), row.at()));
  }

  /** Enables or disables the flow in the store, and here. */
  void setEnabled(FlowKey key, boolean enabled) {
    serverStore.setEnabled(key.namespace(), key.id(), enabled, clock.instant());
    rows.computeIfPresent(
        key,
        (k, r) ->
            new FlowRow(
                r.namespace(), r.flowId(), r.revision(), r.hash(), enabled, clock.instant()));
  }

  /** Another node enabled or disabled the flow: only this copy of its row changes. */
  void followEnabled(FlowKey key, boolean enabled) {
    rows.computeIfPresent(
        key,
        (k, r) -> new FlowRow(r.namespace(), r.flowId(), r.revision(), r.hash(), enabled, r.at()));
  }

  /** Marks the flow removed in the store (its file is gone), and here. */
  void markRemoved(FlowKey key) {
    Instant at = clock.instant();
    serverStore.markRemoved(key.namespace(), key.id(), at);
    rows.computeIfPresent(
        key,
        (k, r) ->
            new FlowRow(
                r.namespace(), r.flowId(), r.revision(), r.hash(), r.enabled(), r.at(), at));
  }
}
