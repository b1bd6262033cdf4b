package dev.weir.engine;

import dev.weir.flow.FlowParser;
import dev.weir.store.RunRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Subflows under {@code weir run}: flows found in files beside the parent's and in its project
 * ({@link FlowFiles}), their runs started on the same engine, in the same process.
 */
public final class LocalSubflows implements SubflowHost {
  private final Engine engine;
  private final FlowFiles files;
  private final Map<String, RunHandle> handles = new ConcurrentHashMap<>();

  public LocalSubflows(Engine engine) {
    this.engine = engine;
    this.files = new FlowFiles(engine.parser());
  }

  @Override
  public Optional<Found> find(String namespace, String flowId, Path near) {
    return files.find(namespace, flowId, near);
  }

  @Override
  public List<String> known(String namespace, Path near) {
    return files.known(namespace, near);
  }

  @Override
  public FlowParser parser() {
    return engine.parser();
  }

  @Override
  public RunRecord start(Engine.StartRequest request) {
    Engine.Started s = engine.startRun(request);
    track(s.handle());
    return s.run();
  }

  @Override
  public Optional<CompletableFuture<RunRecord>> completion(String runId) {
    return Optional.ofNullable(handles.get(runId)).map(RunHandle::completion);
  }

  @Override
  public void resume(String runId) {
    track(engine.resume(runId, false));
  }

  @Override
  public void cancel(String runId, String reason) {
    RunHandle h = handles.get(runId);
    if (h != null) {
      h.cancel(reason);
    }
  }

  private void track(RunHandle h) {
    handles.put(h.runId(), h);
    h.completion().whenComplete((r, e) -> handles.remove(h.runId()));
  }
}
