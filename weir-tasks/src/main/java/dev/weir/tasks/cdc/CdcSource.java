package dev.weir.tasks.cdc;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The source half of a change data capture task: the Debezium connector's settings and what the
 * task must know of the source's position. The apply half ({@link StreamRunner}, {@link
 * BatchApplier}) is the same for every source.
 */
interface CdcSource {
  /** A name of this stream that stays the same across runs (Debezium keys offsets by it). */
  String name();

  /** The source tables streamed, as configured ({@code public.orders}, {@code shop.orders}). */
  java.util.List<String> tables();

  /** Checks the source before streaming (tables, keys, settings); throws naming the fix. */
  void check();

  /**
   * The connector's properties: connection, tables, snapshot; the runner adds the engine's own.
   *
   * @param snapshot whether to copy the tables' rows first (no stored offsets, or a re-snapshot)
   */
  Properties connector(boolean snapshot);

  /**
   * Why the stored position cannot be read from any more (a dropped or invalidated slot, a purged
   * binlog), or empty when it can.
   */
  Optional<String> lostPosition(Map<String, String> offsets);

  /**
   * Makes the source ready to be read from scratch after a lost position (e.g. drop a dead slot).
   */
  void forgetPosition();

  /** What is streamed from where, for the log: {@code public.orders from slot weir_x}. */
  String describe();

  /** What keeps the position from being lost again, e.g. leave the slot in place. */
  String keepPositionAdvice();

  /** How this stream knows it has applied everything committed before it started. */
  CaughtUp caughtUp();

  /** A mark in the stream: once a batch holding it is applied, the stream has caught up. */
  interface CaughtUp {
    /** Places the mark, once the source streams (called on a thread of its own). */
    void place() throws Exception;

    /** Whether {@code record} is the mark. */
    boolean isMark(SourceRecord record);
  }
}
