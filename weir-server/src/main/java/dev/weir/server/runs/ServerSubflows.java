package dev.weir.server.runs;

import dev.weir.WeirException;
import dev.weir.engine.Engine;
import dev.weir.engine.RunHandle;
import dev.weir.engine.SubflowHost;
import dev.weir.flow.FlowParser;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.flows.FlowKey;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.store.RunRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Subflows under {@code weir server}: the child is the registry's current revision of the flow it
 * names, and its run starts through the {@link RunLauncher}, so the child's concurrency limit, its
 * being disabled and the server's listeners (metrics, alerts, run events) apply as to any run.
 *
 * <p>Made before the engine, which takes it in its options, and {@linkplain #attach attached} to
 * the registry and launcher once they exist.
 */
public final class ServerSubflows implements SubflowHost {
  private volatile Engine engine;
  private volatile FlowRegistry flows;
  private volatile RunLauncher launcher;

  /** Makes this host usable: until then no subflow can start (the server is not up yet). */
  public void attach(Engine engine, FlowRegistry flows, RunLauncher launcher) {
    this.engine = engine;
    this.flows = flows;
    this.launcher = launcher;
  }

  @Override
  public Optional<Found> find(String namespace, String flowId, Path near) {
    return registry().get(new FlowKey(namespace, flowId)).map(d -> new Found(d.flow(), d.file()));
  }

  @Override
  public List<String> known(String namespace, Path near) {
    return registry().all().stream()
        .filter(d -> d.key().namespace().equals(namespace))
        .map(d -> d.key().id())
        .sorted()
        .toList();
  }

  @Override
  public FlowParser parser() {
    return ready(engine).parser();
  }

  @Override
  public RunRecord start(Engine.StartRequest request) {
    var key = new FlowKey(request.flow().namespace(), request.flow().id());
    DeployedFlow deployed =
        registry()
            .get(key)
            // a pinned revision of a flow no longer deployed still runs, without a limit to keep
            .orElseGet(() -> new DeployedFlow(request.flow(), request.flowFile(), 0, true));
    RunLauncher.Started s = ready(launcher).start(deployed, request);
    return switch (s.outcome()) {
      case STARTED, QUEUED, REFUSED -> s.run().orElseThrow();
      case SKIPPED -> throw new WeirException(s.reason());
    };
  }

  @Override
  public Optional<CompletableFuture<RunRecord>> completion(String runId) {
    return ready(launcher).handle(runId).map(RunHandle::completion);
  }

  @Override
  public void resume(String runId) {
    ready(launcher).resume(runId, false);
  }

  @Override
  public void cancel(String runId, String reason) {
    ready(launcher).cancel(runId, reason);
  }

  private FlowRegistry registry() {
    return ready(flows);
  }

  private static <T> T ready(T part) {
    if (part == null) {
      throw new WeirException("the server is still starting; subflows start once it is up");
    }
    return part;
  }
}
