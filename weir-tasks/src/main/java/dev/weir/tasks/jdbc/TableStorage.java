package dev.weir.tasks.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.config.ConnectionConfig;
import dev.weir.deadletter.DeadLetterSpec;
import dev.weir.deadletter.DeadLetterStorage;
import dev.weir.deadletter.Origin;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Dead letters as rows of a table of a JDBC connection, created when missing: one row per letter,
 * the batch's letters replaced in one transaction on commit (a retried attempt rewrites its own).
 * The location is {@code table:<connection>/<table>#<batch id>}.
 */
public final class TableStorage implements DeadLetterStorage {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String PREFIX = "table:";

  @Override
  public boolean accepts(DeadLetterSpec spec) {
    return spec.isTable();
  }

  @Override
  public boolean reads(String location) {
    return location.startsWith(PREFIX);
  }

  @Override
  public Batch open(DeadLetterSpec spec, Origin origin, Environment env) throws Exception {
    ConnectionConfig c = env.connections().apply(spec.connection());
    String batchId = origin.batchId();
    String location = PREFIX + spec.connection() + "/" + spec.table() + "#" + batchId;
    var letters = new ArrayList<ObjectNode>();
    return new Batch() {
      @Override
      public void add(ObjectNode letter) {
        letters.add(letter);
      }

      @Override
      public String location() {
        return location;
      }

      @Override
      public void commit() throws Exception {
        try (Connection conn = connect(c, env)) {
          Dialect dialect = Dialect.of(c.url());
          String table = ensureTable(conn, dialect, spec.table());
          conn.setAutoCommit(false);
          try {
            try (PreparedStatement ps =
                conn.prepareStatement("DELETE FROM " + table + " WHERE batch_id = ?")) {
              ps.setString(1, batchId);
              ps.executeUpdate();
            }
            try (PreparedStatement ps =
                conn.prepareStatement(
                    "INSERT INTO "
                        + table
                        + " (batch_id, seq, namespace, flow_id, run_id, task_id, task_type,"
                        + " attempt, reason, record, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                        + " ?, ?, ?)")) {
              int seq = 0;
              for (ObjectNode l : letters) {
                ps.setString(1, batchId);
                ps.setInt(2, ++seq);
                ps.setString(3, l.path("namespace").asText());
                ps.setString(4, l.path("flow").asText());
                ps.setString(5, l.path("run").isNull() ? null : l.path("run").asText());
                ps.setString(6, l.path("task").asText());
                ps.setString(7, l.path("taskType").asText());
                ps.setInt(8, l.path("attempt").asInt());
                ps.setString(9, l.path("reason").asText());
                ps.setString(10, JSON.writeValueAsString(l.get("record")));
                ps.setString(11, l.path("at").asText());
                ps.addBatch();
              }
              ps.executeBatch();
            }
            conn.commit();
          } catch (SQLException | RuntimeException e) {
            conn.rollback();
            throw e;
          }
        }
      }

      @Override
      public void close() {
        letters.clear();
      }
    };
  }

  @Override
  public List<ObjectNode> read(String location, int limit, Environment env) throws Exception {
    String rest = location.substring(PREFIX.length());
    int slash = rest.indexOf('/');
    int hash = rest.lastIndexOf('#');
    String connection = rest.substring(0, slash);
    String tableName = rest.substring(slash + 1, hash);
    String batchId = rest.substring(hash + 1);
    ConnectionConfig c = env.connections().apply(connection);
    var out = new ArrayList<ObjectNode>();
    try (Connection conn = connect(c, env);
        PreparedStatement ps =
            conn.prepareStatement(
                "SELECT namespace, flow_id, run_id, task_id, task_type, attempt, reason, record,"
                    + " created_at FROM "
                    + new TargetTable(tableName, Dialect.of(c.url())).sql()
                    + " WHERE batch_id = ? ORDER BY seq")) {
      ps.setString(1, batchId);
      ps.setMaxRows(limit);
      try (var rs = ps.executeQuery()) {
        while (rs.next() && out.size() < limit) {
          ObjectNode l = JSON.createObjectNode();
          l.set("record", JSON.readTree(rs.getString(8)));
          l.put("reason", rs.getString(7));
          l.put("namespace", rs.getString(1));
          l.put("flow", rs.getString(2));
          l.put("run", rs.getString(3));
          l.put("task", rs.getString(4));
          l.put("taskType", rs.getString(5));
          l.put("attempt", rs.getInt(6));
          l.put("at", rs.getString(9));
          out.add(l);
        }
      }
    }
    return out;
  }

  private static String ensureTable(Connection conn, Dialect dialect, String name)
      throws SQLException {
    String table = new TargetTable(name, dialect).sql();
    String text = dialect == Dialect.MYSQL ? "LONGTEXT" : "TEXT";
    try (Statement st = conn.createStatement()) {
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + table
              + " (batch_id VARCHAR(40) NOT NULL, seq INTEGER NOT NULL, namespace VARCHAR(200),"
              + " flow_id VARCHAR(200), run_id VARCHAR(40), task_id VARCHAR(400), task_type"
              + " VARCHAR(200), attempt INTEGER, reason "
              + text
              + ", record "
              + text
              + ", created_at VARCHAR(40), PRIMARY KEY (batch_id, seq))");
    }
    return table;
  }

  private static Connection connect(ConnectionConfig c, Environment env) throws SQLException {
    if (c == null || !c.isJdbc()) {
      throw new SQLException(
          "a dead-letter table needs a JDBC connection (type jdbc in weir.yaml)");
    }
    var p = new Properties();
    p.putAll(c.properties());
    if (c.user() != null) {
      p.setProperty("user", c.user());
    }
    if (c.password() != null) {
      p.setProperty("password", c.password());
    }
    if (DuckTarget.isDuckDb(c.url())) {
      return dev.weir.tasks.duck.DuckFiles.connect(DuckTarget.resolve(c.url(), env.workDir()), p);
    }
    return DriverManager.getConnection(c.url(), p);
  }
}
