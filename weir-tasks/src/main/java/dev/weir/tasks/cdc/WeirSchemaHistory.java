package dev.weir.tasks.cdc;

import dev.weir.task.StreamOffsets;
import io.debezium.config.Configuration;
import io.debezium.document.DocumentReader;
import io.debezium.document.DocumentWriter;
import io.debezium.relational.history.AbstractSchemaHistory;
import io.debezium.relational.history.HistoryRecord;
import io.debezium.relational.history.HistoryRecordComparator;
import io.debezium.relational.history.SchemaHistoryException;
import io.debezium.relational.history.SchemaHistoryListener;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Debezium's schema history of a binlog source (the DDL it replays on start to know the tables'
 * columns at the stored position) in Weir's state store, beside the offsets, instead of a file or a
 * Kafka topic. Debezium makes it from its class name ({@code schema.history.internal}); it finds
 * the task's {@link StreamOffsets} as {@link WeirOffsetStore} does, through the id in {@link
 * #ID_PROPERTY}. Each record is appended as it is made: one the offsets do not reach yet (a crash
 * before the batch committed) is skipped on recovery, as Debezium does with any history.
 */
public final class WeirSchemaHistory extends AbstractSchemaHistory {
  /** The connector property naming the registered {@link StreamOffsets}. */
  static final String ID_PROPERTY = CONFIGURATION_FIELD_PREFIX_STRING + WeirOffsetStore.ID_PROPERTY;

  private final DocumentWriter writer = DocumentWriter.defaultWriter();
  private final DocumentReader reader = DocumentReader.defaultReader();
  private StreamOffsets offsets;

  @Override
  public void configure(
      Configuration config,
      HistoryRecordComparator comparator,
      SchemaHistoryListener listener,
      boolean useCatalogBeforeSchema) {
    super.configure(config, comparator, listener, useCatalogBeforeSchema);
    // Debezium hands over its config with or without the prefix, depending on the connector
    String id = config.getString(ID_PROPERTY, config.getString(WeirOffsetStore.ID_PROPERTY));
    offsets = WeirOffsetStore.registered(id);
    if (offsets == null) {
      throw new IllegalStateException(
          "no Weir stream registered as '" + id + "' (" + ID_PROPERTY + "); a bug in Weir");
    }
  }

  @Override
  protected void storeRecord(HistoryRecord record) throws SchemaHistoryException {
    try {
      offsets.appendHistory(List.of(writer.write(record.document())));
    } catch (IOException | RuntimeException e) {
      throw new SchemaHistoryException("cannot store schema history in Weir's state store", e);
    }
  }

  @Override
  protected void recoverRecords(Consumer<HistoryRecord> records) {
    for (String line : offsets.history()) {
      try {
        records.accept(new HistoryRecord(reader.read(line)));
      } catch (IOException e) {
        throw new SchemaHistoryException("cannot read schema history record: " + line, e);
      }
    }
  }

  /**
   * Called when the connector starts without offsets: a history left by a snapshot that never
   * committed a batch would be replayed on top of the new one, so it is dropped.
   */
  @Override
  public void initializeStorage() {
    Map<String, String> stored = offsets.load();
    if (SnapshotMark.debeziums(stored).isEmpty() && !offsets.history().isEmpty()) {
      offsets.clear();
      // Weir's own entries (the mark of a snapshot being applied) outlive the history
      var weirs = new java.util.HashMap<>(stored);
      weirs.keySet().removeIf(k -> !SnapshotMark.isWeirs(k));
      if (!weirs.isEmpty()) {
        offsets.save(weirs);
      }
    }
  }

  @Override
  public boolean storageExists() {
    return true; // a table of the state store, made by its migrations
  }

  @Override
  public boolean exists() {
    return !offsets.history().isEmpty();
  }

  @Override
  public String toString() {
    return "Weir state store";
  }
}
