package dev.weir.engine;

import dev.weir.flow.Flow;
import dev.weir.flow.FlowParser;
import dev.weir.store.RunRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where the flows a {@code subflow} task names come from and how their runs start: {@code weir run}
 * finds them in the project's directories and starts them on its engine ({@link LocalSubflows}, the
 * default), {@code weir server} takes its registry's current revisions and starts them through its
 * launcher, so that concurrency limits and listeners apply.
 */
public interface SubflowHost {

  /** A flow's current definition and the file it was read from. */
  record Found(Flow flow, Path file) {}

  /**
   * The current definition of flow {@code namespace.flowId}.
   *
   * @param near the directory of the parent flow's file, where a host that reads files looks first
   */
  Optional<Found> find(String namespace, String flowId, Path near);

  /** The ids of the flows known in {@code namespace}, sorted, for the error of an unknown one. */
  List<String> known(String namespace, Path near);

  /** Parses a stored revision's text (a pinned {@code revision:}). */
  FlowParser parser();

  /**
   * Starts a run, or queues it behind its flow's concurrency limit.
   *
   * @return the run as first stored
   * @throws dev.weir.WeirException when it is refused (bad inputs, a disabled flow, {@code onLimit:
   *     fail} or {@code skip})
   */
  RunRecord start(Engine.StartRequest request);

  /** The end of a run going in this process, if it is one. */
  Optional<CompletableFuture<RunRecord>> completion(String runId);

  /**
   * Continues a run whose process is gone, in this process.
   *
   * @throws dev.weir.WeirException when it cannot be resumed (e.g. another process took it)
   */
  void resume(String runId);

  /** Asks a run to stop; nothing happens when it ended already. */
  void cancel(String runId, String reason);
}
