package dev.weir.store;

import static dev.weir.store.StateStoreContract.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.weir.store.StateStore.Batch;
import dev.weir.testing.TestDatabases;
import dev.weir.util.SqlFailures;
import dev.weir.util.SqlFailures.Kind;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The cluster's tables on PostgreSQL, where the nodes of a real cluster meet. */
class PostgresClusterStoreTest extends ClusterStoreContract {
  @Override
  StateStore open() {
    return TestDatabases.freshPostgresStore();
  }

  @Test
  void a_node_frozen_inside_a_transaction_does_not_hold_its_run_from_adoption_past_its_lease()
      throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    try (var frozen = JdbcStateStore.open(url, null, null, "frozen node");
        var other = JdbcStateStore.open(url, null, null, "other node")) {
      long a = frozen.registerNode("a", "all", "h", 1, Duration.ofSeconds(1));
      long b = other.registerNode("b", "all", "h", 2, Duration.ofHours(1));
      RunRecord r = StateStoreContract.run("r1", "shop", "orders", RunState.QUEUED, T0);
      frozen.write(new Batch(List.of(r), List.of(), List.of(), List.of()));
      assertThat(frozen.claimRun(r, Claimant.node("a", a), false)).isPresent();

      // node a stops (SIGSTOP) in the middle of a transaction that wrote its run's row
      Connection held = frozen.dataSource().getConnection();
      held.setAutoCommit(false);
      try (var st = held.createStatement()) {
        assertThat(st.executeUpdate("UPDATE weir_runs SET attempt = attempt WHERE id = 'r1'"))
            .isEqualTo(1);
      }

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (other.orphanedRuns(10).isEmpty()) {
        assertThat(System.nanoTime()).as("a's lease of 1 s expires").isLessThan(deadline);
        Thread.sleep(50);
      }
      RunRecord orphan = other.findRun("r1").orElseThrow();
      // b adopts the run within the lease, without waiting for a to wake up and commit
      var adoption =
          CompletableFuture.supplyAsync(() -> other.claimRun(orphan, Claimant.node("b", b), false));
      assertThat(adoption.get(10, TimeUnit.SECONDS)).hasValue(2);
      assertThat(other.findRun("r1").orElseThrow().owner()).isEqualTo("b#" + b);

      // a, awake again, finds that the database ended its transaction, a failure of the
      // connection (tried again on another), and its store goes on
      SQLException ended = catchThrowableOfType(SQLException.class, held::commit);
      assertThat((Object) ended).as("commit failed").isNotNull();
      assertThat(SqlFailures.classify(ended)).as(ended.toString()).isEqualTo(Kind.CONNECTION);
      held.close();
      assertThat(frozen.findRun("r1").orElseThrow().owner()).isEqualTo("b#" + b);
    }
  }
}
