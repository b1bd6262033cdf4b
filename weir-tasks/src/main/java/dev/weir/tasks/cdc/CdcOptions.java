package dev.weir.tasks.cdc;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.weir.flow.Durations;
import dev.weir.tasks.jdbc.SchemaChanges;
import java.time.Duration;

/**
 * What every change data capture task shares, whatever its source: how changes are applied to the
 * target and when the stream stops.
 *
 * @param targetConnection the Weir jdbc connection changes are applied to
 * @param targetSchema the schema (MariaDB: database) tables are created in; null for the default
 * @param siftBudget with {@code deadLetter:}, the most trial writes one batch may take to find the
 *     changes the target refuses
 * @param truncates what a source TRUNCATE does to the target
 */
record CdcOptions(
    String targetConnection,
    String targetSchema,
    Deletes deletes,
    int maxBatch,
    Duration maxLatency,
    SchemaChanges schemaChanges,
    OnLostPosition onLostPosition,
    StopWhen stopWhen,
    Snapshot snapshot,
    ColumnRules columns,
    int siftBudget,
    Truncates truncates) {

  /**
   * The options of a task's settings, defaults filled in (null means not set); {@code maxLatency}
   * is a duration the task's validation accepted.
   */
  /**
   * The apply settings both CDC tasks take, read from either task's configuration record by its
   * component accessors.
   */
  interface Settings {
    CdcPostgresTask.Target target();

    Deletes deletes();

    Integer maxBatch();

    String maxLatency();

    SchemaChanges schemaChanges();

    OnLostPosition onLostPosition();

    StopWhen stopWhen();

    Snapshot snapshot();

    Integer siftBudget();

    Truncates truncates();
  }

  /** The options of a task's configuration, with its column rules. */
  static CdcOptions of(Settings config, ColumnRules columns) {
    return of(
        config.target(),
        config.deletes(),
        config.maxBatch(),
        config.maxLatency(),
        config.schemaChanges(),
        config.onLostPosition(),
        config.stopWhen(),
        config.snapshot(),
        columns,
        config.siftBudget(),
        config.truncates());
  }

  private static CdcOptions of(
      CdcPostgresTask.Target target,
      Deletes deletes,
      Integer maxBatch,
      String maxLatency,
      SchemaChanges schemaChanges,
      OnLostPosition onLostPosition,
      StopWhen stopWhen,
      Snapshot snapshot,
      ColumnRules columns,
      Integer siftBudget,
      Truncates truncates) {
    return new CdcOptions(
        target.connection(),
        target.schema(),
        deletes == null ? Deletes.DELETE : deletes,
        maxBatch == null ? DEFAULT_MAX_BATCH : maxBatch,
        maxLatency == null ? DEFAULT_MAX_LATENCY : Durations.parse(maxLatency),
        schemaChanges == null ? SchemaChanges.ADD_COLUMNS : schemaChanges,
        onLostPosition == null ? OnLostPosition.FAIL : onLostPosition,
        stopWhen == null ? StopWhen.NEVER : stopWhen,
        snapshot == null ? Snapshot.INITIAL : snapshot,
        columns,
        siftBudget == null ? ChangeSifter.DEFAULT_BUDGET : siftBudget,
        truncates == null ? Truncates.FAIL : truncates);
  }

  static final int DEFAULT_MAX_BATCH = 10_000;
  static final Duration DEFAULT_MAX_LATENCY = Duration.ofSeconds(1);

  /** How a source delete reaches the target. */
  enum Deletes {
    /** The row is deleted. */
    DELETE,
    /** The row stays, with {@code _deleted = true} and {@code _deleted_at} set. */
    SOFT
  }

  /** What happens when the stored position can no longer be read from. */
  enum OnLostPosition {
    /** Forget the position and take a new snapshot (alerting). */
    RESNAPSHOT,
    /** Stop, naming the slot and the fixes. */
    FAIL
  }

  /** When the task ends by itself. */
  enum StopWhen {
    /** Never: it streams until cancelled. */
    NEVER,
    /** Once every change committed before it started is applied. */
    @JsonProperty("caughtUp")
    CAUGHT_UP
  }

  /** What a source {@code TRUNCATE} does to the target table. */
  enum Truncates {
    /** The stream stops, naming the table and the choices: nothing is lost unseen. */
    FAIL,
    /** Every row of the target table is deleted (or soft-deleted), in the batch's order. */
    APPLY,
    /** Nothing: the target keeps its rows (logged as a warning). */
    IGNORE
  }

  /** Whether the rows already in the tables are copied before streaming. */
  enum Snapshot {
    INITIAL,
    NEVER
  }

  /** The name of the soft-delete flag column. */
  static final String DELETED = "_deleted";

  /** The name of the soft-delete time column. */
  static final String DELETED_AT = "_deleted_at";
}
