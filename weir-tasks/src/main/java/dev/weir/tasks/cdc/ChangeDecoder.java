package dev.weir.tasks.cdc;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Debezium change records as {@link Change}s: the envelope's op, the key, and the row after the
 * change with column rules and masking applied; a truncate as a change of its table without key.
 * Records that are not row changes (heartbeats, transaction markers, logical decoding messages)
 * decode to null.
 */
final class ChangeDecoder {
  private final ColumnRules rules;

  ChangeDecoder(ColumnRules rules) {
    this.rules = rules;
  }

  Change decode(SourceRecord record) {
    if (!(record.value() instanceof Struct value)
        || value.schema().field("op") == null
        || value.schema().field("after") == null) {
      return null;
    }
    Change.Op op =
        switch (value.getString("op")) {
          case "r" -> Change.Op.SNAPSHOT;
          case "c" -> Change.Op.INSERT;
          case "u" -> Change.Op.UPDATE;
          case "d" -> Change.Op.DELETE;
          case "t" -> Change.Op.TRUNCATE;
          default -> null; // messages are not row changes
        };
    if (op == null || (op != Change.Op.TRUNCATE && !(record.key() instanceof Struct))) {
      return null;
    }
    Struct source = value.getStruct("source");
    // PostgreSQL names schema.table; MySQL, which has no schemas, db.table
    String namespace =
        source.schema().field("schema") != null
            ? source.getString("schema")
            : source.getString("db");
    String table = namespace + "." + source.getString("table");
    long ts = op == Change.Op.SNAPSHOT ? 0 : source.getInt64("ts_ms");
    if (op == Change.Op.TRUNCATE) {
      return new Change(table, op, List.of(), List.of(), null, null, ts);
    }
    Struct key = (Struct) record.key();
    var keyColumns = new ArrayList<String>();
    var keyValues = new ArrayList<Object>();
    for (Field f : key.schema().fields()) {
      keyColumns.add(f.name());
      keyValues.add(KeyBytes.of(rules.keyValue(table, key, f)));
    }
    if (op.isDelete()) {
      return new Change(table, op, keyValues, keyColumns, null, null, ts);
    }
    Struct after = value.getStruct("after");
    RowShape shape = rules.shape(table, after.schema());
    return new Change(
        table, op, keyValues, List.copyOf(keyColumns), shape, shape.values(after), ts);
  }
}
