package dev.weir.tasks.cdc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a MySQL or MariaDB server must offer for its binlog to be read: the binlog on, in row format
 * with full row images, the replication privileges, and the tables with primary keys. Each problem
 * names the setting and the fix.
 */
final class MysqlChecks {
  private MysqlChecks() {}

  /** The problems found, empty when the source can be streamed from. */
  static List<String> problems(
      Connection c, MysqlAddress address, List<String> tables, ColumnRules rules)
      throws SQLException {
    var problems = new ArrayList<String>();
    String name = "connection '" + address.connection() + "'";
    String logBin = MysqlSql.one(c, "SELECT @@log_bin");
    if (!"1".equals(logBin) && !"ON".equalsIgnoreCase(logBin)) {
      problems.add(
          name
              + " runs without the binary log (log_bin = OFF); change data capture reads it: start"
              + " the server with log-bin (and server-id) in its configuration, e.g. [mysqld]"
              + " log-bin = mysql-bin, server-id = 1, binlog_format = ROW, binlog_row_image = FULL");
      return problems;
    }
    setting(c, name, "binlog_format", "ROW", problems);
    setting(c, name, "binlog_row_image", "FULL", problems);
    problems.addAll(privileges(c, name));
    for (String table : tables) {
      String[] dt = table.split("\\.", 2);
      List<String> columns =
          MysqlSql.list(
              c,
              "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND"
                  + " table_name = ? ORDER BY ordinal_position",
              dt[0],
              dt[1]);
      if (columns.isEmpty()) {
        problems.add(
            "tables: "
                + table
                + " does not exist in "
                + name
                + " (tables there: "
                + String.join(", ", existing(c))
                + ")");
        continue;
      }
      List<String> key =
          MysqlSql.list(
              c,
              "SELECT column_name FROM information_schema.key_column_usage WHERE table_schema = ?"
                  + " AND table_name = ? AND constraint_name = 'PRIMARY' ORDER BY"
                  + " ordinal_position",
              dt[0],
              dt[1]);
      if (key.isEmpty()) {
        problems.add(
            "tables: "
                + table
                + " has no primary key; cdc.mysql applies changes by primary key. Add one (ALTER"
                + " TABLE "
                + table
                + " ADD PRIMARY KEY (...)) or leave the table out");
        continue;
      }
      problems.addAll(rules.check(table, columns, key));
    }
    return problems;
  }

  private static void setting(
      Connection c, String name, String variable, String wanted, List<String> problems)
      throws SQLException {
    String value = MysqlSql.one(c, "SELECT @@GLOBAL." + variable);
    if (value != null && !wanted.equalsIgnoreCase(value)) {
      problems.add(
          name
              + " runs with "
              + variable
              + " = "
              + value
              + "; change data capture needs "
              + variable
              + " = "
              + wanted
              + " (SET GLOBAL "
              + variable
              + " = '"
              + wanted
              + "', and put it in the server's configuration to keep it after a restart)");
    }
  }

  /**
   * REPLICATION SLAVE (MySQL 8.4 calls it REPLICATION REPLICA) to read the binlog, and REPLICATION
   * CLIENT (MariaDB 10.5+: BINLOG MONITOR) to ask for its position, both granted ON *.*.
   */
  private static List<String> privileges(Connection c, String name) throws SQLException {
    String grants =
        String.join("\n", MysqlSql.list(c, "SHOW GRANTS FOR CURRENT_USER()"))
            .toUpperCase(Locale.ROOT);
    var global = new StringBuilder();
    for (String line : grants.split("\n")) {
      if (line.contains(" ON *.* ")) {
        global.append(line).append('\n');
      }
    }
    String g = global.toString();
    if (g.contains("ALL PRIVILEGES")) {
      return List.of();
    }
    var missing = new ArrayList<String>();
    if (!g.contains("REPLICATION SLAVE") && !g.contains("REPLICATION REPLICA")) {
      missing.add("REPLICATION SLAVE");
    }
    if (!g.contains("REPLICATION CLIENT")
        && !g.contains("BINLOG MONITOR")
        && !g.contains("SUPER")) {
      missing.add("REPLICATION CLIENT");
    }
    if (missing.isEmpty()) {
      return List.of();
    }
    String user = MysqlSql.one(c, "SELECT CURRENT_USER()");
    return List.of(
        name
            + ": user "
            + user
            + " lacks the "
            + String.join(" and ", missing)
            + " privilege"
            + (missing.size() > 1 ? "s" : "")
            + " that reading the binlog needs; grant "
            + (missing.size() > 1 ? "them" : "it")
            + ": GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON"
            + " *.* TO "
            + user.replaceFirst("^([^@]*)@(.*)$", "'$1'@'$2'"));
  }

  private static List<String> existing(Connection c) throws SQLException {
    List<String> all =
        MysqlSql.list(
            c,
            "SELECT CONCAT(table_schema, '.', table_name) FROM information_schema.tables WHERE"
                + " table_type = 'BASE TABLE' AND table_schema NOT IN ('mysql',"
                + " 'information_schema', 'performance_schema', 'sys') ORDER BY 1 LIMIT 21");
    if (all.size() > 20) {
      all = new ArrayList<>(all.subList(0, 20));
      all.add("…");
    }
    return all.isEmpty() ? List.of("none") : all;
  }
}
