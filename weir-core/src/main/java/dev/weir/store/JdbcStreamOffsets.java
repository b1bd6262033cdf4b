package dev.weir.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stream positions in {@code weir_stream_offsets}. Offsets are written as delete-then-insert of the
 * given keys in one transaction (portable across H2 and PostgreSQL, and the map is a handful of
 * rows); history rows are numbered after the highest number there.
 */
final class JdbcStreamOffsets implements StreamOffsetStore {
  private static final String OFFSET = "offset";
  private static final String HISTORY = "history";
  private static final String WHERE =
      " WHERE namespace = ? AND flow_id = ? AND task_id = ? AND kind = ?";

  private final JdbcWork work;

  JdbcStreamOffsets(JdbcWork work) {
    this.work = work;
  }

  @Override
  public Map<String, String> offsets(StreamKey stream) {
    var out = new LinkedHashMap<String, String>();
    work.query(
            "SELECT entry_key, entry_value FROM weir_stream_offsets"
                + WHERE
                + " ORDER BY entry_key",
            ps -> bind(ps, stream, OFFSET),
            rs -> Map.entry(rs.getString(1), rs.getString(2)))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  @Override
  public void saveOffsets(StreamKey stream, Map<String, String> entries) {
    if (entries.isEmpty()) {
      return;
    }
    work.run(c -> {
      try (var del =
              c.prepareStatement("DELETE FROM weir_stream_offsets" + WHERE + " AND entry_key = ?");
          var ins = insert(c)) {
        Instant now = Instant.now();
        for (var e : entries.entrySet()) {
          bind(del, stream, OFFSET);
          del.setString(5, e.getKey());
          del.addBatch();
          if (e.getValue() != null) {
            bindRow(ins, stream, OFFSET, e.getKey(), e.getValue(), now);
            ins.addBatch();
          }
        }
        del.executeBatch();
        ins.executeBatch();
      }
      return null;
    });
  }

  @Override
  public List<String> history(StreamKey stream) {
    return work.query(
        "SELECT entry_value FROM weir_stream_offsets" + WHERE + " ORDER BY entry_key",
        ps -> bind(ps, stream, HISTORY),
        rs -> rs.getString(1));
  }

  @Override
  public void appendHistory(StreamKey stream, List<String> records) {
    if (records.isEmpty()) {
      return;
    }
    work.run(c -> {
      long next = 0;
      try (var ps = c.prepareStatement("SELECT MAX(entry_key) FROM weir_stream_offsets" + WHERE)) {
        bind(ps, stream, HISTORY);
        try (var rs = ps.executeQuery()) {
          if (rs.next() && rs.getString(1) != null) {
            next = Long.parseLong(rs.getString(1)) + 1;
          }
        }
      }
      try (var ins = insert(c)) {
        Instant now = Instant.now();
        for (String r : records) {
          // zero-padded so that the text order of the key is the order of appending
          bindRow(ins, stream, HISTORY, String.format("%019d", next++), r, now);
          ins.addBatch();
        }
        ins.executeBatch();
      }
      return null;
    });
  }

  @Override
  public void clear(StreamKey stream) {
    work.run(c -> {
      try (var ps =
          c.prepareStatement(
              "DELETE FROM weir_stream_offsets WHERE namespace = ? AND flow_id = ? AND task_id = ?")) {
        ps.setString(1, stream.namespace());
        ps.setString(2, stream.flowId());
        ps.setString(3, stream.taskId());
        ps.executeUpdate();
      }
      return null;
    });
  }

  private static java.sql.PreparedStatement insert(Connection c) throws SQLException {
    return c.prepareStatement(
        "INSERT INTO weir_stream_offsets (namespace, flow_id, task_id, kind, entry_key,"
            + " entry_value, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  }

  private static void bind(java.sql.PreparedStatement ps, StreamKey s, String kind)
      throws SQLException {
    ps.setString(1, s.namespace());
    ps.setString(2, s.flowId());
    ps.setString(3, s.taskId());
    ps.setString(4, kind);
  }

  private static void bindRow(
      java.sql.PreparedStatement ps,
      StreamKey s,
      String kind,
      String key,
      String value,
      Instant now)
      throws SQLException {
    bind(ps, s, kind);
    ps.setString(5, key);
    ps.setString(6, value);
    JdbcWork.setTime(ps, 7, now);
  }
}
