package dev.weir.tasks.cdc;

import dev.weir.config.ConnectionConfig;
import dev.weir.task.StreamMode;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.jdbc.Databases;
import java.sql.Connection;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attempt of a change data capture task, whatever its source: check the source, decide on a
 * snapshot (a lost position re-snapshots or fails), open the target, stream, report.
 */
final class CdcRun {
  private CdcRun() {}

  static TaskResult run(CdcSource source, CdcOptions options, TaskContext context)
      throws Exception {
    source.check();
    var outputs = new LinkedHashMap<String, Object>();
    // with a stored position Debezium's `initial` mode streams from it, or finishes a snapshot a
    // killed run left half done (which `no_data` would refuse)
    boolean snapshot = options.snapshot() == CdcOptions.Snapshot.INITIAL;
    Map<String, String> stored = context.streamOffsets().load();
    // a snapshot was being applied when the task stopped last (SnapshotMark)
    boolean snapshotCutShort = stored.containsKey(SnapshotMark.KEY);
    Map<String, String> offsets = SnapshotMark.debeziums(stored);
    if (!offsets.isEmpty()) {
      Optional<String> lost = source.lostPosition(offsets);
      if (lost.isPresent()) {
        boolean again = options.onLostPosition() == CdcOptions.OnLostPosition.RESNAPSHOT;
        context.stream()
            .positionLost(
                lost.get()
                    + (again
                        ? "; snapshotting the tables again (onLostPosition: resnapshot)"
                        : "; the task fails (onLostPosition: fail)"),
                again);
        if (!again) {
          throw TaskFailedException.permanent(
              lost.get()
                  + ", so the stream cannot continue from where it stopped. Set"
                  + " `onLostPosition: resnapshot` to copy the tables again (rows deleted in the"
                  + " meantime stay in the target: empty it first where that matters); and to"
                  + " keep it from happening again, "
                  + source.keepPositionAdvice());
        }
        context
            .logger()
            .error(
                lost.get()
                    + "; re-snapshotting: the stored position is forgotten and the tables are"
                    + " copied again (onLostPosition: resnapshot)");
        context.streamOffsets().clear();
        offsets = Map.of();
        stored = Map.of();
        source.forgetPosition();
        snapshot = true;
        outputs.put("resnapshotted", true);
      }
    }
    // Debezium snapshots with no offsets, and again from scratch with those of an unfinished one
    boolean snapshotting = snapshot && (offsets.isEmpty() || SnapshotMark.unfinished(offsets));
    if (!snapshotting && stored.containsKey(SnapshotMark.KEY)) {
      context.streamOffsets().save(java.util.Collections.singletonMap(SnapshotMark.KEY, null));
      stored = Map.of();
    }
    // (a snapshot's first batch writes the mark when the stored offsets do not hold it)
    var snapshotMarked = new AtomicBoolean(stored.containsKey(SnapshotMark.KEY));
    boolean untilCaughtUp =
        options.stopWhen() == CdcOptions.StopWhen.CAUGHT_UP
            || context.streamMode() == StreamMode.UNTIL_CAUGHT_UP;

    ConnectionConfig targetConn =
        Databases.located(Databases.resolve(null, options.targetConnection(), context), context);
    TargetSql sql = TargetSql.of(targetConn.url(), options.targetConnection());
    var metrics = new CdcMetrics();
    String stopped;
    try (Connection target = Databases.open(targetConn, context)) {
      boolean soft = options.deletes() == CdcOptions.Deletes.SOFT;
      var tables =
          new TargetTables(
              sql, options.targetSchema(), options.schemaChanges(), soft, context.logger());
      var applier = new BatchApplier(target, sql, tables, soft);
      if (snapshotting && snapshotCutShort) {
        // the new snapshot holds neither the rows the source deleted since the last one began nor
        // their deletes: start the target from empty (again, if this is stopped too)
        List<String> emptied = applier.empty(source.tables(), OffsetDateTime.now(ZoneOffset.UTC));
        context
            .logger()
            .info(
                "a snapshot was stopped before it finished, and Debezium starts it again from"
                    + " scratch: "
                    + (soft ? "marked every row deleted in " : "emptied ")
                    + (emptied.isEmpty()
                        ? "no target table (none exists yet)"
                        : String.join(", ", emptied))
                    + " first");
      }
      var sifter =
          new ChangeSifter(
              applier, context.deadLetters(), options.siftBudget(), context.logger(), tables);
      context
          .logger()
          .info(
              "streaming "
                  + source.describe()
                  + (snapshot && offsets.isEmpty() ? " after a snapshot" : "")
                  + (untilCaughtUp ? " until caught up" : " until cancelled"));
      stopped =
          new StreamRunner(
                  source,
                  options,
                  context,
                  new ChangeDecoder(options.columns()),
                  sifter,
                  new TruncateRule(options.truncates(), tables, context.logger()),
                  metrics)
              .run(snapshot, untilCaughtUp, snapshotting, snapshotMarked);
    }
    context.logger().info("stopped (" + stopped + "): " + metrics.progress());
    outputs.putAll(metrics.outputs());
    outputs.put("stopped", stopped);
    outputs.putIfAbsent("resnapshotted", false);
    return TaskResult.of(outputs);
  }
}
