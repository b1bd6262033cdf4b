package dev.weir.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Learns when runs end: one connection polls the runs still awaited every 2 ms (cheaper for the
 * nodes than each client asking the API).
 */
final class RunEnds implements AutoCloseable {
  private final Map<String, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final Thread poller;

  RunEnds(String db) throws Exception {
    Connection c = DriverManager.getConnection(db);
    var ps =
        c.prepareStatement(
            "SELECT id, state FROM weir_runs WHERE id = ANY(?) AND ended_at IS NOT NULL");
    poller =
        Thread.ofPlatform()
            .name("bench-run-ends")
            .start(() -> {
              try (c;
                  ps) {
                while (open.get()) {
                  if (!waiting.isEmpty()) {
                    ps.setArray(1, c.createArrayOf("varchar", waiting.keySet().toArray()));
                    try (var rs = ps.executeQuery()) {
                      while (rs.next()) {
                        var f = waiting.remove(rs.getString(1));
                        if (f != null) {
                          f.complete(rs.getString(2));
                        }
                      }
                    }
                  }
                  Thread.sleep(2);
                }
              } catch (Exception e) {
                System.out.println("run-end poller failed: " + e);
                waiting.values().forEach(f -> f.completeExceptionally(e));
              }
            });
  }

  CompletableFuture<String> await(String runId) {
    return waiting.computeIfAbsent(runId, k -> new CompletableFuture<>());
  }

  @Override
  public void close() throws InterruptedException {
    open.set(false);
    poller.join();
  }
}
