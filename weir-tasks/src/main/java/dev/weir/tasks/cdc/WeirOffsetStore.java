package dev.weir.tasks.cdc;

import dev.weir.task.StreamOffsets;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

  private StreamOffsets offsets;

  /** Makes {@code offsets} findable by an engine configured with {@code id}, until closed. */
  static AutoCloseable register(String id, StreamOffsets offsets) {
    REGISTRY.put(id, offsets);
    return () -> REGISTRY.remove(id);
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
    if (offsets == null) {
      throw new IllegalStateException(
          "no Weir stream registered as '" + id + "' (" + ID_PROPERTY + "); a bug in Weir");
    }
  }

  @Override
  public synchronized void start() {
    super.start();
    offsets.load().forEach((k, v) -> data.put(buffer(k), v == null ? null : buffer(v)));
  }

  @Override
  protected void save() {
    var entries = new HashMap<String, String>();
    data.forEach((k, v) -> entries.put(text(k), v == null ? null : text(v)));
    offsets.save(entries);
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
