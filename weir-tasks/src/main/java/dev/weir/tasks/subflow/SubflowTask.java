package dev.weir.tasks.subflow;

import dev.weir.store.RunRecord;
import dev.weir.task.ChildRun;
import dev.weir.task.Required;
import dev.weir.task.Subflows;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs another flow as a child of this run, by namespace and id (its current revision, or a pinned
 * one), with inputs; waits for it by default and exposes its state and its tasks' outputs.
 */
public final class SubflowTask implements TaskType<SubflowTask.Config> {
  /**
   * @param flow the child flow: {@code id} (in {@code namespace}) or {@code namespace/id}
   * @param namespace the child's namespace when {@code flow} has none; defaults to this flow's
   * @param revision a stored revision hash to run instead of the child's current definition
   * @param inputs the child's inputs; values are rendered, then checked against its inputs
   * @param await whether to wait for the child to end (default true); false succeeds once it
   *     started. Not {@code wait}: a record cannot have a component of that name ({@code
   *     Object.wait()})
   */
  public record Config(
      @Required(example = "shop.sales/orders_apply") String flow,
      String namespace,
      String revision,
      Map<String, String> inputs,
      Boolean await) {}

  @Override
  public String name() {
    return "subflow";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> validate(Config config) {
    var problems = new ArrayList<String>();
    String flow = config.flow();
    if (flow != null && flow.contains("/") && config.namespace() != null) {
      problems.add(
          "flow '"
              + flow
              + "' names its namespace and namespace: names one too; keep one (flow: id with"
              + " namespace: ns, or flow: ns/id)");
    }
    if (flow != null && (flow.startsWith("/") || flow.endsWith("/"))) {
      problems.add("flow '" + flow + "' is not a flow name; write id or namespace/id");
    }
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext ctx) throws Exception {
    Subflows.Request request = request(config, ctx.namespace());
    Subflows subflows = ctx.subflows();
    Optional<ChildRun> earlier = subflows.interrupted(request);
    ChildRun child;
    if (earlier.isPresent()) {
      child = earlier.get();
      ctx.logger().info("re-attached to child run " + child.runId() + " of " + request.key());
    } else {
      child = subflows.start(request);
      ctx.logger().info("started child run " + child.runId() + " of " + request.key());
    }
    if (config.await() != null && !config.await()) {
      return TaskResult.of(started(request, child.run()));
    }
    ctx.onCancel(() -> child.cancel("its parent run " + ctx.runId() + " was cancelled"));
    return result(request, child.await());
  }

  static Subflows.Request request(Config config, String parentNamespace) {
    String flow = config.flow().strip();
    String namespace = config.namespace() == null ? parentNamespace : config.namespace().strip();
    int slash = flow.lastIndexOf('/');
    if (slash > 0) {
      namespace = flow.substring(0, slash);
      flow = flow.substring(slash + 1);
    }
    var inputs = new LinkedHashMap<String, String>();
    if (config.inputs() != null) {
      config.inputs().forEach((k, v) -> inputs.put(k, v == null ? "" : v));
    }
    String revision = config.revision() == null ? null : config.revision().strip();
    return new Subflows.Request(namespace, flow, revision, inputs);
  }

  private static Map<String, Object> started(Subflows.Request request, RunRecord run) {
    var out = new LinkedHashMap<String, Object>();
    out.put("runId", run.id());
    out.put("namespace", request.namespace());
    out.put("flow", request.flowId());
    out.put("state", run.state().name());
    return out;
  }

  private static TaskResult result(Subflows.Request request, ChildRun.Outcome outcome) {
    RunRecord run = outcome.run();
    var out = started(request, run);
    out.put("outputs", outcome.outputs());
    if (outcome.failure() != null) {
      throw new TaskFailedException(
          "subflow "
              + request.key()
              + " run "
              + run.id()
              + " ended "
              + run.state()
              + ": "
              + outcome.failure(),
          true,
          out,
          null);
    }
    return TaskResult.of(out);
  }
}
