package dev.weir.tasks.cdc;

import dev.weir.task.StreamOffsets;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;

/**
 * Debezium's offsets in Weir's state store instead of a file. Debezium makes the store itself from
 * its class name ({@code offset.storage}), so it finds the task's {@link StreamOffsets} through
 * {@link #register}, under the id the task put in {@link #ID_PROPERTY}. Offsets are written on each
 * commit, which with {@code offset.flush.interval.ms=0} is right after a batch committed to the
 * target.
 */
public final class WeirOffsetStore extends MemoryOffsetBackingStore {
  /** The engine property naming the registered {@link StreamOffsets}. */
  static final String ID_PROPERTY = "weir.offsets.id";

  private static final Map<String, StreamOffsets> REGISTRY = new ConcurrentHashMap<>();

  private static final Map<String, AtomicBoolean> MARKS = new ConcurrentHashMap<>();

  private StreamOffsets offsets;

  /** Whether the task's offsets hold {@link SnapshotMark#KEY}. */
  private AtomicBoolean snapshotMarked;

  /**
   * Makes {@code offsets} findable by an engine configured with {@code id}, until closed.
   *
   * @param snapshotMarked whether {@code offsets} hold {@link SnapshotMark#KEY} (set by the runner
   *     when it writes it): the save of offsets showing the snapshot finished removes it
   */
  static AutoCloseable register(String id, StreamOffsets offsets, AtomicBoolean snapshotMarked) {
    REGISTRY.put(id, offsets);
    MARKS.put(id, snapshotMarked);
    return () -> {
      REGISTRY.remove(id);
      MARKS.remove(id);
    };
  }

  /**
   * The {@link StreamOffsets} registered as {@code id}, or null (also for {@link
   * WeirSchemaHistory}).
   */
  static StreamOffsets registered(String id) {
    return id == null ? null : REGISTRY.get(id);
  }

  @Override
  public void configure(WorkerConfig config) {
    super.configure(config);
    String id = config.originalsStrings().get(ID_PROPERTY);
    offsets = registered(id);
    snapshotMarked = MARKS.get(id);
    if (offsets == null) {
      throw new IllegalStateException(
          "no Weir stream registered as '" + id + "' (" + ID_PROPERTY + "); a bug in Weir");
    }
  }

  @Override
  public synchronized void start() {
    super.start();
    // Weir's own entries (SnapshotMark) are not Debezium's: it neither sees nor writes them back
    SnapshotMark.debeziums(offsets.load())
        .forEach((k, v) -> data.put(buffer(k), v == null ? null : buffer(v)));
  }

  @Override
  protected void save() {
    var entries = new HashMap<String, String>();
    data.forEach((k, v) -> {
      String key = text(k);
      if (!SnapshotMark.isWeirs(key)) {
        entries.put(key, v == null ? null : text(v));
      }
    });
    // the offsets of the batch that finished a snapshot remove its mark, in the same save
    boolean finished =
        snapshotMarked.get() && !entries.isEmpty() && !SnapshotMark.unfinished(entries);
    if (finished) {
      entries.put(SnapshotMark.KEY, null);
    }
    offsets.save(entries);
    if (finished) {
      snapshotMarked.set(false);
    }
  }

  @Override
  public Set<Map<String, Object>> connectorPartitions(String connectorName) {
    return Set.of(); // asked by Kafka Connect's REST API only, which the embedded engine has not
  }

  private static ByteBuffer buffer(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(ByteBuffer b) {
    var bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
