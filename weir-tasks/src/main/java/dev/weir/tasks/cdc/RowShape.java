package dev.weir.tasks.cdc;

import dev.weir.tasks.duck.Masking;
import java.util.List;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * The target columns of one version of a source table, after column rules and masking: what a
 * change's row holds, and the types to create them with.
 */
final class RowShape {
  /** One target column: the source field it comes from and how it is masked. */
  record Column(String name, Field field, String duckType, Masking.Rule rule) {}

  private final String table;
  private final List<Column> columns;
  private final ColumnRules rules;
  private final List<String> names;

  RowShape(String table, List<Column> columns, ColumnRules rules) {
    this.table = table;
    this.columns = List.copyOf(columns);
    this.rules = rules;
    this.names = columns.stream().map(Column::name).toList();
  }

  String table() {
    return table;
  }

  List<Column> columns() {
    return columns;
  }

  List<String> names() {
    return names;
  }

  /** The target values of a row, in {@link #columns()} order. */
  Object[] values(Struct after) {
    var out = new Object[columns.size()];
    for (int i = 0; i < out.length; i++) {
      Column c = columns.get(i);
      out[i] = rules.value(c.field(), c.rule(), after.get(c.field()));
    }
    return out;
  }
}
