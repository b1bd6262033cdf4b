package dev.weir.tasks.models;

import java.time.Duration;
import java.util.List;

/**
 * What running one node of a project gave: the {@link Node} that ran, its status, the rows it
 * affected (a seed's or a table's rows, an incremental model's merged rows; a test's failing rows),
 * how long it took, the SQL run and a message (the error, or why it was skipped: {@code skipped:
 * upstream X failed}, {@code skipped: test T failed}, or {@code cancelled}). {@code logged}: what a
 * model's {@code {{ log() }}} calls said as it compiled (before the error, if it failed to).
 */
public record NodeResult(
    Node node,
    Status status,
    long rows,
    Duration duration,
    String sql,
    String message,
    List<CompiledModel.LogCall> logged) {
  /** As dbt reports nodes: a warn-severity test that fails is {@code WARN}. */
  public enum Status {
    SUCCESS,
    WARN,
    ERROR,
    SKIPPED
  }

  /**
   * The node, as the graph has it whatever the run gave: its id, type and name, and for lineage and
   * the task run its {@code materialization} ({@code view}, {@code table}, {@code incremental},
   * {@code ephemeral}, {@code seed}, {@code test}), {@code relation} the relation it writes as
   * {@code schema.name} (null for tests and ephemeral models), {@code reads} the relations it reads
   * ({@code schema.name} of the refs and sources, an ephemeral parent's own reads in its place; a
   * test's tested relations), and for tests {@code severity} ({@code error} or {@code warn}; null
   * for other nodes).
   */
  public record Node(
      String id,
      GraphNode.Type type,
      String name,
      String materialization,
      String relation,
      List<String> reads,
      String severity) {
    public Node {
      reads = reads == null ? List.of() : List.copyOf(reads);
    }
  }

  public NodeResult {
    logged = logged == null ? List.of() : List.copyOf(logged);
  }

  /** The node's dbt unique id ({@code model.jaffle_shop.orders}); {@code node().id()}. */
  public String id() {
    return node.id();
  }

  /** The node's type; {@code node().type()}. */
  public GraphNode.Type type() {
    return node.type();
  }

  /** The node's name; {@code node().name()}. */
  public String name() {
    return node.name();
  }

  /** This result with what the model's {@code log()} calls said while it compiled. */
  NodeResult withLogged(List<CompiledModel.LogCall> calls) {
    return new NodeResult(node, status, rows, duration, sql, message, calls);
  }

  /** A test's failing rows (0 for other nodes, and for a test that could not run). */
  public long failures() {
    return type() == GraphNode.Type.TEST ? rows : 0;
  }

  /** Whether the node was not run, or stopped, because the run was cancelled. */
  public boolean cancelled() {
    return status == Status.SKIPPED && InFlight.CANCELLED.equals(message);
  }
}
