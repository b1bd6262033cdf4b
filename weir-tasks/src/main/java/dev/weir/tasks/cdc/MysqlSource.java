package dev.weir.tasks.cdc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.config.ConnectionConfig;
import dev.weir.task.TaskFailedException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * A MySQL or MariaDB source read from its binary log: Debezium's MySQL connector (it reads
 * MariaDB's binlog too), registered as a replica with a server id of its own, its schema history in
 * Weir's state store ({@link WeirSchemaHistory}).
 */
final class MysqlSource implements CdcSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Debezium's heartbeat interval: how soon an idle stream shows that it caught up. */
  static final long HEARTBEAT_MILLIS = 1_000;

  private final MysqlAddress address;
  private final List<String> tables;
  private final String name;
  private final long serverId;
  private final ColumnRules rules;

  MysqlSource(
      ConnectionConfig connection,
      List<String> tables,
      String name,
      long serverId,
      ColumnRules rules) {
    this.address = MysqlAddress.of(connection);
    this.tables = List.copyOf(tables);
    this.name = name;
    this.serverId = serverId;
    this.rules = rules;
  }

  /**
   * A server id derived from the task's name, the same on every run: from 100,000 to 999,999, above
   * the small numbers servers are usually given.
   */
  static long defaultServerId(String namespace, String flow, String task) {
    String hash = dev.weir.util.Hashes.sha256(namespace + "/" + flow + "/" + task);
    return 100_000 + Long.parseLong(hash.substring(0, 12), 16) % 900_000;
  }

  private Connection open() throws SQLException {
    var p = new Properties();
    if (address.user() != null) {
      p.setProperty("user", address.user());
    }
    p.setProperty("password", address.password());
    return DriverManager.getConnection(address.url(), p);
  }

  private String connectionName() {
    return "connection '" + address.connection() + "'";
  }

  @Override
  public void check() {
    try (Connection c = open()) {
      List<String> problems = MysqlChecks.problems(c, address, tables, rules);
      if (!problems.isEmpty()) {
        throw TaskFailedException.permanent(String.join("\n", problems));
      }
    } catch (SQLException e) {
      throw TaskFailedException.connection(
          "cannot check source " + connectionName() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Properties connector(boolean snapshot) {
    var p = new Properties();
    p.setProperty("connector.class", "io.debezium.connector.mysql.MySqlConnector");
    if (address.mariadb()) {
      p.setProperty("connector.class", MariaDbConnector.class.getName());
      p.setProperty("database.jdbc.driver", MariaDbBinlogDriver.class.getName());
    }
    p.setProperty("database.hostname", address.host());
    p.setProperty("database.port", String.valueOf(address.port()));
    if (address.user() != null) {
      p.setProperty("database.user", address.user());
    }
    p.setProperty("database.password", address.password());
    p.setProperty("database.server.id", String.valueOf(serverId));
    // BIGINT UNSIGNED above 2^63 - 1 wraps to a negative long by Debezium's default: as
    // DECIMAL(20,0)
    p.setProperty("bigint.unsigned.handling.mode", "precise");
    if (address.sslMode() != null) {
      p.setProperty("database.ssl.mode", address.sslMode());
    }
    p.setProperty(
        "database.include.list",
        String.join(
            ",",
            tables.stream()
                .map(t -> "^" + Pattern.quote(t.substring(0, t.indexOf('.'))) + "$")
                .distinct()
                .toList()));
    p.setProperty(
        "table.include.list",
        String.join(",", tables.stream().map(t -> "^" + Pattern.quote(t) + "$").toList()));
    p.setProperty("snapshot.mode", snapshot ? "initial" : "no_data");
    p.setProperty("schema.history.internal", WeirSchemaHistory.class.getName());
    // the DDL of other databases is of no use to this task, and would fill the state store
    p.setProperty("schema.history.internal.store.only.captured.databases.ddl", "true");
    p.setProperty("include.schema.changes", "false");
    // a heartbeat record carries the position read so far, also when no captured table changes:
    // it moves the stored offset on and tells when the stream caught up. The server sends its own
    // heartbeat to an idle replica at 0.8 of the keep-alive interval, which makes Debezium beat.
    p.setProperty("heartbeat.interval.ms", String.valueOf(HEARTBEAT_MILLIS));
    p.setProperty("connect.keep.alive.interval.ms", String.valueOf(2 * HEARTBEAT_MILLIS));
    return p;
  }

  @Override
  public Optional<String> lostPosition(Map<String, String> offsets) {
    BinlogPosition stored = null;
    String gtids = null;
    for (String value : offsets.values()) {
      Map<String, Object> offset = parse(value);
      if (BinlogPosition.of(offset) != null) {
        stored = BinlogPosition.of(offset);
        gtids = offset.get("gtids") instanceof String g && !g.isBlank() ? g : null;
      }
    }
    if (stored == null) {
      return Optional.empty();
    }
    try (Connection c = open()) {
      if (gtids != null && "ON".equalsIgnoreCase(gtidMode(c))) {
        // with GTIDs the reader resumes by transaction ids, whichever file holds them
        String covered = MysqlSql.one(c, "SELECT GTID_SUBSET(@@GLOBAL.gtid_purged, ?)", gtids);
        return "1".equals(covered)
            ? Optional.empty()
            : Optional.of(
                "the binary log of "
                    + connectionName()
                    + " no longer holds the transactions after the stored GTID set (gtid_purged"
                    + " has transactions the stream has not read)");
      }
      List<String[]> logs = MysqlSql.rows(c, "SHOW BINARY LOGS");
      for (String[] log : logs) {
        if (log[0].equals(stored.file())) {
          long size = Long.parseLong(log[1]);
          return size >= stored.pos()
              ? Optional.empty()
              : Optional.of(
                  "binlog file "
                      + stored.file()
                      + " of "
                      + connectionName()
                      + " is shorter ("
                      + size
                      + " bytes) than the stored position "
                      + stored
                      + ": the server's binary log was reset, or this is another server");
        }
      }
      return Optional.of(
          "binlog file "
              + stored.file()
              + " (stored position "
              + stored
              + ") is no longer on the server of "
              + connectionName()
              + " (its oldest is "
              + (logs.isEmpty() ? "none" : logs.getFirst()[0])
              + "): it was purged (PURGE BINARY LOGS, or binlog expiry) while the stream was"
              + " stopped");
    } catch (SQLException e) {
      throw TaskFailedException.connection(
          "cannot check the binary log of " + connectionName() + ": " + e.getMessage(), e);
    }
  }

  private static String gtidMode(Connection c) {
    try {
      return MysqlSql.one(c, "SELECT @@GLOBAL.gtid_mode");
    } catch (SQLException e) {
      return null; // MariaDB: its GTIDs are not what the MySQL reader resumes by
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(String json) {
    try {
      return json == null ? Map.of() : JSON.readValue(json, Map.class);
    } catch (JsonProcessingException e) {
      return Map.of();
    }
  }

  /**
   * Nothing to drop on the server: the task's offsets and schema history, both in Weir's state
   * store, are cleared by the caller, so that a new snapshot records a new history.
   */
  @Override
  public void forgetPosition() {}

  @Override
  public CaughtUp caughtUp() {
    return new CaughtUp() {
      private volatile BinlogPosition start;

      @Override
      public void place() throws SQLException {
        try (Connection c = open()) {
          start = BinlogPosition.current(c);
        }
      }

      /**
       * A heartbeat at or after the end of the binlog when the stream started: every change
       * committed before lies before it, so it came in this or an earlier batch. Change records are
       * never the mark (the runner leaves the mark out of the batch it applies).
       */
      @Override
      public boolean isMark(SourceRecord record) {
        BinlogPosition from = start;
        if (from == null
            || record.topic() == null
            || !record.topic().startsWith("__debezium-heartbeat")
            || record.sourceOffset() == null
            || Boolean.TRUE.equals(record.sourceOffset().get("snapshot"))
            || "true".equals(String.valueOf(record.sourceOffset().get("snapshot")))) {
          return false;
        }
        BinlogPosition at = BinlogPosition.of(record.sourceOffset());
        return at != null && at.compareTo(from) >= 0;
      }
    };
  }

  @Override
  public List<String> tables() {
    return tables;
  }

  @Override
  public String describe() {
    return String.join(", ", tables)
        + " from the binlog of "
        + address
        + " as server id "
        + serverId;
  }

  @Override
  public String keepPositionAdvice() {
    return "keep binlog files on "
        + connectionName()
        + " longer than the task may be stopped (binlog_expire_logs_seconds; MariaDB before 10.6:"
        + " expire_logs_days) and purge none the task has not read";
  }

  @Override
  public String name() {
    return name;
  }
}
