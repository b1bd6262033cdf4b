package dev.weir.server.ui;

import dev.weir.expr.Masker;
import dev.weir.server.alerts.Alerts;
import dev.weir.server.api.Tokens;
import dev.weir.server.backfills.Backfills;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.server.flows.FlowWatcher;
import dev.weir.server.runs.RunFlows;
import dev.weir.server.runs.RunLauncher;
import dev.weir.server.runs.WaitReasons;
import dev.weir.server.schedule.Scheduler;
import dev.weir.server.store.ServerStore;
import dev.weir.store.JdbcStateStore;
import java.time.InstantSource;

/**
 * What the UI's pages read from and act on: the same objects the REST API uses.
 *
 * @param serverStore the flows' revision history
 * @param watcher the flows directory, for the files that do not load
 */
public record Ui(
    JdbcStateStore store,
    FlowRegistry flows,
    RunLauncher launcher,
    Tokens tokens,
    Sessions sessions,
    Masker masker,
    InstantSource clock,
    RunFlows runFlows,
    WaitReasons waits,
    Backfills backfills,
    Scheduler scheduler,
    Alerts alerts,
    ServerStore serverStore,
    FlowWatcher watcher) {}
