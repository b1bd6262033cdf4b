package dev.weir.server;

import dev.weir.engine.Engine;
import dev.weir.server.api.ApiServer;
import dev.weir.server.api.BackfillRoutes;
import dev.weir.server.api.BulkRunRoutes;
import dev.weir.server.api.ClusterRoutes;
import dev.weir.server.api.FlowRoutes;
import dev.weir.server.api.LogRoutes;
import dev.weir.server.api.PluginRoutes;
import dev.weir.server.api.RunGraphRoutes;
import dev.weir.server.api.RunRoutes;
import dev.weir.server.api.SchemaRoutes;
import dev.weir.server.api.SystemRoutes;
import dev.weir.server.api.TimeRoutes;
import dev.weir.server.api.Tokens;
import dev.weir.server.backfills.Backfills;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.server.graph.GraphCache;
import dev.weir.server.graph.GraphWarmer;
import dev.weir.server.metrics.MetricsRoutes;
import dev.weir.server.runs.RunEvents;
import dev.weir.server.runs.RunFlows;
import dev.weir.server.runs.WaitReasons;
import dev.weir.server.ui.SessionAdmission;
import dev.weir.server.ui.Sessions;
import dev.weir.server.ui.Ui;
import dev.weir.server.ui.UiRoutes;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.LogSearch;
import dev.weir.task.TaskRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The REST API and the UI of a {@link WeirServer}, put together: every route under {@code /api/v1},
 * the pages, and what they share (the run graphs, kept warm; the sign-in sessions; the live run
 * events).
 */
final class ServerApi {
  /** How long a UI sign-in lasts (a working day and a bit; then sign in again). */
  static final Duration UI_SESSION_LIFETIME = Duration.ofHours(12);

  private ServerApi() {}

  /**
   * The API server of a {@link WeirServer}, from its {@code server} parts, not started. Made at the
   * end of the server's start, when every part it serves is made; what it adds to the server (a run
   * listener, the graph warmer among {@code parts}) is added then.
   *
   * @param parts told of what must be closed with the server
   */
  static ApiServer assemble(
      ServerParts server,
      TaskRegistry taskTypes,
      Tokens tokens,
      Backfills backfills,
      MetricsRoutes metricsRoutes,
      Consumer<AutoCloseable> parts) {
    Engine engine = server.engine;
    FlowRegistry flows = server.flows;
    JdbcStateStore store = server.store;
    var launcher = server.launcher;
    var runEvents = new RunEvents(engine.masker());
    server.listeners.add(runEvents);
    var runFlows = new RunFlows(engine::flowOf);
    var waits = new WaitReasons(server.gates, launcher);
    var graphs = new GraphCache();
    var warmer = new GraphWarmer(graphs);
    parts.accept(warmer);
    flows.onChange(f -> warmer.warm(f.hash(), f.flow()));
    flows.all().forEach(f -> warmer.warm(f.hash(), f.flow()));
    var sessions = new Sessions(server.options.clock(), UI_SESSION_LIFETIME);
    var ui =
        new Ui(
            store,
            flows,
            launcher,
            tokens,
            sessions,
            engine.masker(),
            server.options.clock(),
            runFlows,
            waits,
            backfills,
            server.scheduler,
            server.alerts,
            server.serverStore,
            server.watcher);
    return new ApiServer(
        tokens,
        engine.masker(),
        List.of(
            new SystemRoutes(flows, launcher),
            new ClusterRoutes(store, server.cluster),
            new SchemaRoutes(taskTypes),
            new PluginRoutes(server.plugins),
            new FlowRoutes(
                flows, server.watcher, engine.parser(), store, server.serverStore, engine.masker()),
            new RunRoutes(flows, launcher, store, engine.masker()),
            new BulkRunRoutes(launcher, store, engine.masker()),
            server.triggers.webhooks(),
            new BackfillRoutes(backfills, engine.masker()),
            metricsRoutes,
            new RunGraphRoutes(store, flows, runFlows, runEvents, waits, graphs),
            new LogRoutes(store, new LogSearch(store.dataSource()), launcher, engine.masker()),
            new TimeRoutes(),
            new UiRoutes(ui)),
        new SessionAdmission(sessions),
        UiRoutes::errorPage);
  }
}
