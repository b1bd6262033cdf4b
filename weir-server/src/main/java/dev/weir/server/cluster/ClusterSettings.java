package dev.weir.server.cluster;

import dev.weir.WeirException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A node's place in a cluster: its id, and how long its lease lasts and how often it renews it.
 * Every node of one cluster should use the same timing.
 *
 * @param nodeId the node's id, stable across restarts (a container recreated with the same id takes
 *     its runs back at once); null for the id kept in {@code <home>/node-id}, made at the first
 *     start
 * @param lease how long other nodes wait after the node's last renewal before adopting its runs
 * @param heartbeat how often the node renews its lease and looks for runs to adopt
 * @param staging where tasks stage datasets, the same on every node so that a run another node
 *     adopts, or a task routed to a worker, finds what other nodes staged: a directory on a shared
 *     file system at the same path, or an S3 address; null for {@code <home>/staging}, right for a
 *     single server
 * @param role what the node does; null for {@link NodeRole#ALL}
 * @param pools the pools whose tasks the node executes (others go to workers); empty for all
 * @param slots how many attempts routed to it the node runs at once
 */
public record ClusterSettings(
    String nodeId,
    Duration lease,
    Duration heartbeat,
    StagingLocation staging,
    NodeRole role,
    java.util.Set<String> pools,
    int slots) {
  public static final int DEFAULT_SLOTS = 8;
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
  public static final ClusterSettings DEFAULTS =
      new ClusterSettings(null, DEFAULT_LEASE, DEFAULT_HEARTBEAT);

  public ClusterSettings(String nodeId, Duration lease, Duration heartbeat) {
    this(nodeId, lease, heartbeat, (StagingLocation) null);
  }

  /** Settings staging in {@code dir} (a shared file system); null for {@code <home>/staging}. */
  public ClusterSettings(String nodeId, Duration lease, Duration heartbeat, Path staging) {
    this(nodeId, lease, heartbeat, staging == null ? null : StagingLocation.dir(staging));
  }

  public ClusterSettings(
      String nodeId, Duration lease, Duration heartbeat, StagingLocation staging) {
    this(nodeId, lease, heartbeat, staging, null, java.util.Set.of(), 0);
  }

  /**
   * These settings for a node of {@code role} executing {@code pools}' tasks, {@code slots} at
   * once.
   */
  public ClusterSettings withWork(NodeRole role, java.util.Set<String> pools, int slots) {
    return new ClusterSettings(nodeId, lease, heartbeat, staging, role, pools, slots);
  }

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  public ClusterSettings {
    lease = lease == null ? DEFAULT_LEASE : lease;
    heartbeat = heartbeat == null ? DEFAULT_HEARTBEAT : heartbeat;
    role = role == null ? NodeRole.ALL : role;
    pools = pools == null ? java.util.Set.of() : java.util.Set.copyOf(pools);
    slots = slots <= 0 ? DEFAULT_SLOTS : slots;
    if (slots > 1000) {
      throw new WeirException("--slots must be at most 1000, got " + slots);
    }
    if (nodeId != null && !ID.matcher(nodeId).matches()) {
      throw new WeirException(
          "node id '"
              + nodeId
              + "' is not valid: use letters, digits, '.', '_' and '-' (at most 100), starting"
              + " with a letter or digit");
    }
    if (heartbeat.isNegative()
        || heartbeat.isZero()
        || heartbeat.multipliedBy(3).compareTo(lease) > 0) {
      throw new WeirException(
          "the heartbeat ("
              + shown(heartbeat)
              + ") must be positive and at most a third of the lease ("
              + shown(lease)
              + "), so that a node renews its lease several times before it runs out");
    }
  }

  // as the options are written: 30s, 500ms
  private static String shown(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
