package dev.weir.server.cluster;

import dev.weir.WeirException;
import java.util.Locale;

/** What a node of a cluster does ({@code weir server --role}). */
public enum NodeRole {
  /** Everything: the API and UI, schedules and triggers, runs, and their tasks. */
  ALL,
  /**
   * The API and UI, schedules and triggers, and runs, whose tasks it hands to workers: it executes
   * no task itself.
   */
  SCHEDULER,
  /**
   * The API and UI only: runs asked for through it (and its webhooks) are stored for the nodes that
   * execute runs to take; it fires no schedule or trigger and executes nothing.
   */
  API,
  /** Only the task attempts other nodes route to workers ({@code weir worker}). */
  WORKER;

  /** The role named {@code text} ({@code all}, {@code scheduler}, {@code api}, {@code worker}). */
  public static NodeRole parse(String text) {
    try {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new WeirException(
          "role '"
              + text
              + "' is not known: use all, scheduler, api or worker (`weir worker` is a worker)");
    }
  }

  /** Whether the node executes task attempts (its own runs', or routed ones). */
  public boolean executesTasks() {
    return this == ALL || this == WORKER;
  }

  /** Whether the node coordinates runs (starts them, adopts them, drains queues). */
  public boolean coordinatesRuns() {
    return this == ALL || this == SCHEDULER;
  }

  /** As stored in {@code weir_nodes.role} and shown by {@code /api/v1/cluster/nodes}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
