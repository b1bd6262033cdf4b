package dev.weir.tasks.cdc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * A place in a server's binary log: a file ({@code binlog.000012}) and a byte offset in it. Files
 * of one server share a base name and count up, so positions order by file number, then offset.
 */
record BinlogPosition(String file, long pos) implements Comparable<BinlogPosition> {

  /** The end of the binlog now: where a change committed next will be written. */
  static BinlogPosition current(Connection c) throws SQLException {
    SQLException last = null;
    // MySQL 8.4 knows only the first; MariaDB 10.5+ the second and third; older ones the third
    for (String sql :
        List.of("SHOW BINARY LOG STATUS", "SHOW BINLOG STATUS", "SHOW MASTER STATUS")) {
      try {
        List<String[]> rows = MysqlSql.rows(c, sql);
        if (rows.isEmpty()) {
          throw new SQLException(sql + " returned nothing: is the binary log on (log_bin)?");
        }
        return new BinlogPosition(rows.getFirst()[0], Long.parseLong(rows.getFirst()[1]));
      } catch (java.sql.SQLSyntaxErrorException e) {
        last = e;
      }
    }
    throw last;
  }

  /** The position in a Debezium binlog offset ({@code file}, {@code pos}), or null. */
  static BinlogPosition of(Map<String, ?> offset) {
    if (offset == null || !(offset.get("file") instanceof String file)) {
      return null;
    }
    Object pos = offset.get("pos");
    return new BinlogPosition(
        file, pos instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(pos)));
  }

  @Override
  public int compareTo(BinlogPosition o) {
    int byFile = Long.compare(number(file), number(o.file));
    return byFile != 0 ? byFile : Long.compare(pos, o.pos);
  }

  private static long number(String file) {
    int dot = file.lastIndexOf('.');
    try {
      return Long.parseLong(file.substring(dot + 1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public String toString() {
    return file + ":" + pos;
  }
}
