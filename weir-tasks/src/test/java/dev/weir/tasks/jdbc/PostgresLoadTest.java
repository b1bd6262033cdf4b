package dev.weir.tasks.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.TestDatabases;
import java.sql.DriverManager;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.Test;

class PostgresLoadTest extends LoadContract {
  private String url;

  @Override
  String freshUrl() {
    url = TestDatabases.freshPostgresSchemaUrl();
    return url;
  }

  @Test
  void a_reader_never_sees_a_partial_replace() throws Exception {
    stage("old", "SELECT range::INTEGER AS id, 'old' AS v FROM range(1000)");
    load("dataset: old, table: orders");
    stage("new", "SELECT range::INTEGER AS id, 'new' AS v FROM range(300000)");
    Set<Long> seen = new ConcurrentSkipListSet<>();
    var loading =
        CompletableFuture.runAsync(() -> {
          try {
            load("dataset: new, table: orders, mode: replace");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    try (var c = DriverManager.getConnection(url);
        var st = c.createStatement()) {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!loading.isDone() && System.nanoTime() < deadline) {
        try (var rs = st.executeQuery("SELECT count(*) FROM orders")) {
          rs.next();
          seen.add(rs.getLong(1));
        }
      }
    }
    loading.join();
    assertThat(seen).isSubsetOf(1000L, 300000L).contains(1000L);
    assertThat(rows("SELECT count(*), min(v), max(v) FROM orders"))
        .containsExactly("300000|new|new");
  }
}
