package dev.weir.tasks.cdc;

import dev.weir.config.ConnectionConfig;
import dev.weir.task.TaskFailedException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * A PostgreSQL source read through logical decoding (pgoutput): Debezium's PostgreSQL connector
 * with a publication and a replication slot of the task's own, created or reused.
 */
final class PostgresSource implements CdcSource {
  private static final String MARK_PREFIX = "weir_caught_up";

  private final ConnectionConfig connection;
  private final List<String> tables;
  private final String slot;
  private final String publication;
  private final ColumnRules rules;
  private final Properties jdbc;

  PostgresSource(
      ConnectionConfig connection,
      List<String> tables,
      String slot,
      String publication,
      ColumnRules rules) {
    this.connection = connection;
    this.tables = List.copyOf(tables);
    this.slot = slot;
    this.publication = publication;
    this.rules = rules;
    Properties parsed = org.postgresql.Driver.parseURL(connection.url(), null);
    if (parsed == null) {
      throw TaskFailedException.permanent(
          "connection '"
              + connection.name()
              + "' is not a PostgreSQL jdbc url; cdc.postgres reads PostgreSQL's write-ahead log"
              + " (url: jdbc:postgresql://host:5432/db); for MariaDB or MySQL use cdc.mysql");
    }
    this.jdbc = parsed;
  }

  /**
   * {@code weir_<namespace>_<flow>_<task>} as a slot or publication name may be (at most 63
   * characters: a longer one ends with a hash of the whole).
   */
  static String defaultName(String namespace, String flow, String task) {
    String name =
        ("weir_" + namespace + "_" + flow + "_" + task)
            .toLowerCase(java.util.Locale.ROOT)
            .replaceAll("[^a-z0-9_]", "_");
    // PostgreSQL keeps 63 bytes of a name: a longer one is cut and given a hash of the whole, so
    // that two tasks whose names share a long prefix do not share one slot
    return name.length() <= 63
        ? name
        : name.substring(0, 54) + "_" + dev.weir.util.Hashes.sha256(name).substring(0, 8);
  }

  private String user() {
    return connection.user() != null ? connection.user() : jdbc.getProperty("user");
  }

  private String password() {
    return connection.password() != null ? connection.password() : jdbc.getProperty("password", "");
  }

  private Connection open() throws SQLException {
    var p = new Properties();
    if (user() != null) {
      p.setProperty("user", user());
    }
    p.setProperty("password", password());
    return DriverManager.getConnection(connection.url(), p);
  }

  @Override
  public void check() {
    try (Connection c = open()) {
      String wal = one(c, "SHOW wal_level");
      if (!"logical".equals(wal)) {
        throw TaskFailedException.permanent(
            "connection '"
                + connection.name()
                + "' runs with wal_level = "
                + wal
                + "; change data capture needs wal_level = logical (set it in postgresql.conf or"
                + " ALTER SYSTEM SET wal_level = logical, then restart PostgreSQL)");
      }
      var problems = new ArrayList<String>();
      for (String table : tables) {
        List<String> columns = columns(c, table);
        if (columns.isEmpty()) {
          problems.add(
              "tables: "
                  + table
                  + " does not exist in connection '"
                  + connection.name()
                  + "' (tables there: "
                  + String.join(", ", existing(c))
                  + ")");
          continue;
        }
        List<String> key = primaryKey(c, table);
        if (key.isEmpty()) {
          problems.add(
              "tables: "
                  + table
                  + " has no primary key; cdc.postgres applies changes by primary key. Add one"
                  + " (ALTER TABLE "
                  + table
                  + " ADD PRIMARY KEY (...)) or leave the table out");
          continue;
        }
        problems.addAll(rules.check(table, columns, key));
      }
      if (!problems.isEmpty()) {
        throw TaskFailedException.permanent(String.join("\n", problems));
      }
    } catch (SQLException e) {
      throw TaskFailedException.connection(
          "cannot check source connection '" + connection.name() + "': " + e.getMessage(), e);
    }
  }

  private static String one(Connection c, String sql, String... params) throws SQLException {
    try (var ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      try (var rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static List<String> list(Connection c, String sql, String... params) throws SQLException {
    var out = new ArrayList<String>();
    try (var ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  private static List<String> columns(Connection c, String table) throws SQLException {
    String[] st = table.split("\\.", 2);
    return list(
        c,
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND"
            + " table_name = ? ORDER BY ordinal_position",
        st[0],
        st[1]);
  }

  private static List<String> primaryKey(Connection c, String table) throws SQLException {
    String[] st = table.split("\\.", 2);
    return list(
        c,
        "SELECT a.attname FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace"
            + " n ON n.oid = t.relnamespace JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum"
            + " = ANY(i.indkey) WHERE i.indisprimary AND n.nspname = ? AND t.relname = ?",
        st[0],
        st[1]);
  }

  private static List<String> existing(Connection c) throws SQLException {
    List<String> all =
        list(
            c,
            "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE"
                + " table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog',"
                + " 'information_schema') ORDER BY 1 LIMIT 21");
    if (all.size() > 20) {
      all = new ArrayList<>(all.subList(0, 20));
      all.add("…");
    }
    return all.isEmpty() ? List.of("none") : all;
  }

  @Override
  public Properties connector(boolean snapshot) {
    var p = new Properties();
    p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    p.setProperty("database.hostname", jdbc.getProperty("PGHOST", "localhost"));
    p.setProperty("database.port", jdbc.getProperty("PGPORT", "5432"));
    p.setProperty("database.dbname", jdbc.getProperty("PGDBNAME"));
    if (user() != null) {
      p.setProperty("database.user", user());
    }
    p.setProperty("database.password", password());
    // the url's TLS settings hold for the replication connection too (Debezium's own default is
    // sslmode=prefer, which never checks the certificate)
    for (String key : List.of("sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword")) {
      if (jdbc.getProperty(key) != null) {
        p.setProperty("database." + key, jdbc.getProperty(key));
      }
    }
    p.setProperty("plugin.name", "pgoutput");
    p.setProperty("slot.name", slot);
    p.setProperty("publication.name", publication);
    // created FOR TABLE the task's tables when missing; an existing one is used as it is
    p.setProperty("publication.autocreate.mode", "filtered");
    p.setProperty(
        "table.include.list",
        String.join(",", tables.stream().map(t -> "^" + Pattern.quote(t) + "$").toList()));
    p.setProperty("snapshot.mode", snapshot ? "initial" : "no_data");
    p.setProperty("message.prefix.include.list", MARK_PREFIX);
    p.setProperty("slot.drop.on.stop", "false");
    return p;
  }

  @Override
  public Optional<String> lostPosition(Map<String, String> offsets) {
    if (offsets.isEmpty()) {
      return Optional.empty();
    }
    try (Connection c = open()) {
      String status =
          one(
              c,
              "SELECT COALESCE(wal_status, 'unknown') FROM pg_replication_slots WHERE slot_name = ?",
              slot);
      if (status == null) {
        return Optional.of("replication slot '" + slot + "' no longer exists");
      }
      if ("lost".equals(status)) {
        return Optional.of(
            "replication slot '"
                + slot
                + "' lost the write-ahead log it needs (wal_status lost: max_slot_wal_keep_size"
                + " was reached)");
      }
      return Optional.empty();
    } catch (SQLException e) {
      throw TaskFailedException.connection(
          "cannot check replication slot '" + slot + "': " + e.getMessage(), e);
    }
  }

  @Override
  public void forgetPosition() {
    try (Connection c = open()) {
      if (one(c, "SELECT slot_name FROM pg_replication_slots WHERE slot_name = ?", slot) != null) {
        one(c, "SELECT pg_drop_replication_slot(?)::text", slot);
      }
    } catch (SQLException e) {
      throw TaskFailedException.connection(
          "cannot drop the dead replication slot '" + slot + "': " + e.getMessage(), e);
    }
  }

  @Override
  public CaughtUp caughtUp() {
    String mark = UUID.randomUUID().toString();
    return new CaughtUp() {
      @Override
      public void place() throws Exception {
        // a message after the slot exists is decoded after every change committed before it
        try (Connection c = open()) {
          for (int i = 0; i < 3000; i++) {
            if (one(c, "SELECT slot_name FROM pg_replication_slots WHERE slot_name = ?", slot)
                != null) {
              one(c, "SELECT pg_logical_emit_message(true, ?, ?)::text", MARK_PREFIX, mark);
              return;
            }
            Thread.sleep(100);
          }
          throw new IllegalStateException("replication slot '" + slot + "' did not appear");
        }
      }

      @Override
      public boolean isMark(SourceRecord record) {
        if (!(record.value() instanceof Struct v)
            || v.schema().field("message") == null
            || !(v.get("message") instanceof Struct m)) {
          return false;
        }
        Object content = m.get("content");
        byte[] bytes =
            content instanceof java.nio.ByteBuffer b
                ? java.util.Arrays.copyOfRange(
                    b.array(), b.arrayOffset() + b.position(), b.arrayOffset() + b.limit())
                : (byte[]) content;
        return MARK_PREFIX.equals(m.getString("prefix"))
            && mark.equals(new String(bytes, StandardCharsets.UTF_8));
      }
    };
  }

  @Override
  public List<String> tables() {
    return tables;
  }

  @Override
  public String describe() {
    return String.join(", ", tables) + " from slot " + slot;
  }

  @Override
  public String keepPositionAdvice() {
    return "leave slot '"
        + slot
        + "' in place while the task is stopped and give it room to keep WAL"
        + " (max_slot_wal_keep_size)";
  }

  @Override
  public String name() {
    return slot;
  }
}
