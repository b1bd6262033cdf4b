package dev.weir.store;

import static dev.weir.store.JdbcWork.marks;
import static dev.weir.store.JdbcWork.setTime;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Flow revision texts, saved once by hash, in {@code weir_flow_revisions}. */
final class JdbcRevisions {
  private final JdbcWork work;
  // revision hashes known to be stored: a server starting thousands of runs of one revision, or
  // runs of thousands of flows it registered in a batch, asks the database once per revision
  private final java.util.Set<String> saved = java.util.concurrent.ConcurrentHashMap.newKeySet();

  JdbcRevisions(DataSource ds, String description, StoreRetry retry) {
    this.work = new JdbcWork(ds, description, retry);
  }

  void save(String hash, String namespace, String flowId, String file, String text) {
    if (saved.contains(hash)) {
      return;
    }
    work.run(c -> {
      try (var ps = c.prepareStatement("SELECT 1 FROM weir_flow_revisions WHERE hash = ?")) {
        ps.setString(1, hash);
        try (var rs = ps.executeQuery()) {
          if (rs.next()) {
            return null;
          }
        }
      }
      try (var ps =
          c.prepareStatement(
              "INSERT INTO weir_flow_revisions (hash, namespace, flow_id, file, source,"
                  + " created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, hash);
        ps.setString(2, namespace);
        ps.setString(3, flowId);
        ps.setString(4, file);
        ps.setString(5, text);
        setTime(ps, 6, Instant.now());
        ps.executeUpdate();
      } catch (SQLException e) {
        // another process saved the same revision between our check and insert: fine
        if (!"23505".equals(e.getSQLState())) {
          throw e;
        }
      }
      return null;
    });
    saved.add(hash);
  }

  void saveAll(List<StateStore.Revision> revisions) {
    var unique = new java.util.LinkedHashMap<String, StateStore.Revision>();
    revisions.stream()
        .filter(r -> !saved.contains(r.hash()))
        .forEach(r -> unique.putIfAbsent(r.hash(), r));
    var all = List.copyOf(unique.values());
    for (int from = 0; from < all.size(); from += 500) {
      var chunk = all.subList(from, Math.min(all.size(), from + 500));
      work.run(c -> {
        var stored = new java.util.HashSet<String>();
        try (var ps =
            c.prepareStatement(
                "SELECT hash FROM weir_flow_revisions WHERE hash IN ("
                    + marks(chunk.size())
                    + ")")) {
          for (int i = 0; i < chunk.size(); i++) {
            ps.setString(i + 1, chunk.get(i).hash());
          }
          try (var rs = ps.executeQuery()) {
            while (rs.next()) {
              stored.add(rs.getString(1));
            }
          }
        }
        try (var ps =
            c.prepareStatement(
                "INSERT INTO weir_flow_revisions (hash, namespace, flow_id, file, source,"
                    + " created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
          int n = 0;
          for (StateStore.Revision r : chunk) {
            if (stored.contains(r.hash())) {
              continue;
            }
            ps.setString(1, r.hash());
            ps.setString(2, r.namespace());
            ps.setString(3, r.flowId());
            ps.setString(4, r.file());
            ps.setString(5, r.text());
            setTime(ps, 6, Instant.now());
            ps.addBatch();
            n++;
          }
          if (n > 0) {
            ps.executeBatch();
          }
        }
        return null;
      });
    }
    saved.addAll(unique.keySet());
  }

  Optional<String> text(String hash) {
    return work
        .query(
            "SELECT source FROM weir_flow_revisions WHERE hash = ?",
            ps -> ps.setString(1, hash),
            rs -> rs.getString(1))
        .stream()
        .findFirst();
  }

  Optional<StateStore.Revision> revision(String hash) {
    return work
        .query(
            "SELECT hash, namespace, flow_id, file, source FROM weir_flow_revisions WHERE hash = ?",
            ps -> ps.setString(1, hash),
            rs ->
                new StateStore.Revision(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5)))
        .stream()
        .findFirst();
  }
}
