package dev.weir.server.api;

import dev.weir.flow.Flow;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.server.graph.FlowGraph;
import dev.weir.server.graph.GraphCache;
import dev.weir.server.runs.RunEvents;
import dev.weir.server.runs.RunFlows;
import dev.weir.server.runs.WaitReasons;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.util.function.Consumer;

/**
 * A run's graph and its live changes: {@code GET /runs/{id}/graph} (the laid-out tasks of the run's
 * flow revision), {@code GET /flows/{ns}/{id}/graph} (the current revision), and {@code GET
 * /runs/{id}/events}, an SSE stream that starts with a snapshot of every task's latest attempt and
 * then sends each change as it is stored.
 */
public final class RunGraphRoutes implements Consumer<Routes> {
  /** How long an SSE stream stays quiet before a keep-alive comment. */
  static final long KEEP_ALIVE_MILLIS = 15_000;

  private final StateStore store;
  private final FlowRegistry flows;
  private final RunFlows runFlows;
  private final RunEvents events;
  private final WaitReasons waits;
  private final GraphCache graphs;

  public RunGraphRoutes(
      StateStore store,
      FlowRegistry flows,
      RunFlows runFlows,
      RunEvents events,
      WaitReasons waits,
      GraphCache graphs) {
    this.store = store;
    this.flows = flows;
    this.runFlows = runFlows;
    this.events = events;
    this.waits = waits;
    this.graphs = graphs;
  }

  @Override
  public void accept(Routes r) {
    r.get("/runs/{id}/graph", this::runGraph)
        .get("/flows/{ns}/{id}/graph", this::flowGraph)
        .get("/runs/{id}/waiting", this::waiting)
        .sse("/runs/{id}/events", this::events);
  }

  /** The layout of a run's flow revision (cached by revision). */
  public FlowGraph.Layout layout(RunRecord run) {
    return graphs.layout(run.revision(), runFlows.of(run));
  }

  /** Why each task that is not running yet waits, and why the run does (when queued). */
  private void waiting(Context ctx) {
    RunRecord run = RunRoutes.find(store, ctx.pathParam("id"));
    var w = waits.of(runFlows.of(run), run, store.taskRuns(run.id()));
    var root = Json.MAPPER.createObjectNode();
    root.put("runId", run.id());
    root.put("state", run.state().name());
    root.set("run", Json.MAPPER.valueToTree(w.run()));
    root.set("tasks", Json.MAPPER.valueToTree(w.tasks()));
    ctx.json(root);
  }

  private void runGraph(Context ctx) {
    ctx.json(FlowGraph.toMap(layout(RunRoutes.find(store, ctx.pathParam("id")))));
  }

  private void flowGraph(Context ctx) {
    DeployedFlow f = flows.require(FlowRoutes.key(ctx));
    Flow flow = f.flow();
    ctx.json(FlowGraph.toMap(graphs.layout(f.hash(), flow)));
  }

  private void events(SseClient client) {
    RunRecord run = RunRoutes.find(store, client.ctx().pathParam("id"));
    try (RunEvents.Watch watch = events.watch(run.id())) {
      // after subscribing, so that nothing falls between the snapshot and the first event
      RunRecord now = store.findRun(run.id()).orElse(run);
      var snapshot = Json.MAPPER.createObjectNode();
      snapshot.set("run", events.run(now));
      var tasks = snapshot.putArray("tasks");
      for (TaskRunRecord t : store.taskRuns(run.id())) {
        tasks.add(events.task(t));
      }
      client.sendEvent("snapshot", snapshot.toString());
      if (now.state().isTerminal()) {
        return; // nothing more will change
      }
      while (!client.terminated()) {
        RunEvents.Event e = watch.next(KEEP_ALIVE_MILLIS);
        if (e == null) {
          client.sendComment("keep-alive");
        } else {
          client.sendEvent(e.kind(), e.json());
          if (e.kind().equals("run")
              && e.json().matches(".*\"state\":\"(SUCCEEDED|FAILED|CANCELLED)\".*")) {
            return;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException gone) {
      // the browser went away mid-write (Jetty recycles the response): nothing to tell anyone
    } finally {
      closeQuietly(client);
    }
  }

  static void closeQuietly(SseClient client) {
    try {
      client.close();
    } catch (RuntimeException ignored) {
      // already gone
    }
  }
}
