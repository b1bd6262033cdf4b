package dev.weir.tasks.models;

import java.time.Duration;
import java.util.List;

/**
 * What running one node of a project gave: its status, the rows it affected (a seed's or a table's
 * rows, an incremental model's merged rows; a test's failing rows), how long it took, the SQL run
 * and a message (the error, or why it was skipped: {@code skipped: upstream X failed}, {@code
 * skipped: test T failed}, or {@code cancelled}).
 *
 * <p>For lineage and the task run: {@code materialization} ({@code view}, {@code table}, {@code
 * incremental}, {@code ephemeral}, {@code seed}, {@code test}), {@code relation} the relation
 * written as {@code schema.name} (null for tests and ephemeral models), {@code reads} the relations
 * read ({@code schema.name} of the refs and sources, an ephemeral parent's own reads in its place;
 * a test's tested relations), and for tests {@code severity} ({@code error} or {@code warn}; null
 * for other nodes). {@code logged}: what a model's {@code {{ log() }}} calls said as it compiled.
 */
public record NodeResult(
    String id,
    GraphNode.Type type,
    String name,
    Status status,
    long rows,
    Duration duration,
    String sql,
    String message,
    String materialization,
    String relation,
    List<String> reads,
    String severity,
    List<CompiledModel.LogCall> logged) {
  /** As dbt reports nodes: a warn-severity test that fails is {@code WARN}. */
  public enum Status {
    SUCCESS,
    WARN,
    ERROR,
    SKIPPED
  }

  public NodeResult {
    reads = reads == null ? List.of() : List.copyOf(reads);
    logged = logged == null ? List.of() : List.copyOf(logged);
  }

  /** This result with what the model's {@code log()} calls said while it compiled. */
  NodeResult withLogged(List<CompiledModel.LogCall> calls) {
    return new NodeResult(
        id,
        type,
        name,
        status,
        rows,
        duration,
        sql,
        message,
        materialization,
        relation,
        reads,
        severity,
        calls);
  }

  /** A test's failing rows (0 for other nodes, and for a test that could not run). */
  public long failures() {
    return type == GraphNode.Type.TEST ? rows : 0;
  }

  /** Whether the node was not run, or stopped, because the run was cancelled. */
  public boolean cancelled() {
    return status == Status.SKIPPED && InFlight.CANCELLED.equals(message);
  }
}
