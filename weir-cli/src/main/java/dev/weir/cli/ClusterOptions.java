package dev.weir.cli;

import dev.weir.flow.Durations;
import dev.weir.server.cluster.ClusterSettings;
import dev.weir.server.cluster.NodeRole;
import dev.weir.server.cluster.StagingLocation;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** A node's place in a cluster, the same options on {@code weir server} and {@code weir worker}. */
final class ClusterOptions {
  @Option(
      names = "--node-id",
      paramLabel = "ID",
      defaultValue = "${env:WEIR_NODE_ID}",
      description =
          "This node's id in a cluster of servers on one PostgreSQL (env WEIR_NODE_ID; default:"
              + " the id kept in <home>/node-id, made at the first start). Keep it across restarts:"
              + " a node that comes back takes its runs back at once.")
  String nodeId;

  @Option(
      names = "--lease",
      paramLabel = "DURATION",
      defaultValue = "${env:WEIR_LEASE}",
      description =
          "How long after a node's last heartbeat other nodes adopt its runs (env WEIR_LEASE;"
              + " default: 30s).")
  String lease;

  @Option(
      names = "--heartbeat",
      paramLabel = "DURATION",
      defaultValue = "${env:WEIR_HEARTBEAT}",
      description =
          "How often the node renews its lease and looks for runs to adopt (env WEIR_HEARTBEAT;"
              + " default: 5s; at most a third of the lease).")
  String heartbeat;

  @Option(
      names = "--staging",
      paramLabel = "DIR|s3://BUCKET/PREFIX",
      defaultValue = "${env:WEIR_STAGING}",
      description =
          "Where tasks stage their datasets (env WEIR_STAGING; default: <home>/staging). The nodes"
              + " of a cluster share it: a directory on a shared file system at the same path, or"
              + " an S3 address, reached with WEIR_STAGING_S3_ENDPOINT, _REGION, _ACCESS_KEY,"
              + " _SECRET_KEY (else the default AWS chain) and cached in <home>/staging-cache.")
  String staging;

  @Option(
      names = "--pools",
      paramLabel = "POOL,...",
      defaultValue = "${env:WEIR_POOLS}",
      description =
          "The pools whose tasks this node executes (env WEIR_POOLS; default: all). On a server,"
              + " tasks of other pools go to workers; a worker given pools takes only their tasks.")
  String pools;

  @Option(
      names = "--slots",
      paramLabel = "N",
      defaultValue = "${env:WEIR_SLOTS}",
      description =
          "How many task attempts routed to this node it runs at once (env WEIR_SLOTS; default:"
              + " 8).")
  Integer slots;

  /** The settings these options give a node of {@code role}. */
  ClusterSettings settings(CommandSpec spec, NodeRole role) {
    try {
      if (slots != null && slots < 1) {
        throw new IllegalArgumentException("--slots must be at least 1, got " + slots);
      }
      return new ClusterSettings(
              nodeId,
              lease == null ? null : Durations.parse(lease),
              heartbeat == null ? null : Durations.parse(heartbeat),
              staging == null || staging.isBlank()
                  ? null
                  : StagingLocation.parse(staging, Surroundings.of(spec)::resolve))
          .withWork(role, poolSet(), slots == null ? 0 : slots);
    } catch (RuntimeException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private Set<String> poolSet() {
    if (pools == null || pools.isBlank()) {
      return Set.of();
    }
    return Arrays.stream(pools.split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }
}
