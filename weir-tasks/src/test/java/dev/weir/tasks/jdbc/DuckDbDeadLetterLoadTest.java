package dev.weir.tasks.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DuckDbDeadLetterLoadTest extends DeadLetterLoadContract {
  @Override
  String freshUrl() {
    return "jdbc:duckdb:" + dir.resolve("dw.duckdb").toAbsolutePath();
  }

  @Override
  boolean enforcesLength() {
    return false;
  }

  @Override
  boolean replaceKeepsConstraints() {
    return false;
  }

  // DuckDB has no deferred constraints: a key clashes at the commit only with a transaction that
  // committed the same key meanwhile, and it says "TransactionContext Error: Failed to commit",
  // not a row's error, so the load fails with it instead of sifting rows through closed letters
  @Test
  void a_key_another_transaction_committed_first_fails_the_load_at_its_commit_without_sifting()
      throws Exception {
    stage("v1", "(7, 'new', 1)");
    ctx.deadLetter("dead/", "10");
    try (Connection other = DriverManager.getConnection(db.url())) {
      other.setAutoCommit(false);
      try (Statement s = other.createStatement()) {
        s.execute("INSERT INTO orders VALUES (7, 'other', 1)");
      }
      var committed = new AtomicBoolean();
      // the append's ledger asks the time after its INSERT and before its commit: the other
      // transaction commits the same key then
      ctx.clock(() -> {
        if (inTableLoadRun() && committed.compareAndSet(false, true)) {
          try {
            other.commit();
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        }
        return Instant.now();
      });
      assertThatThrownBy(() -> load("dataset: v1"))
          .hasMessageContaining("Failed to commit")
          .hasMessageContaining("constraint")
          .isNotInstanceOf(IllegalStateException.class);
      assertThat(committed).isTrue();
    }
    assertThat(db.rows("SELECT id, name FROM orders ORDER BY id"))
        .containsExactly("1|old", "7|other");
  }

  private static boolean inTableLoadRun() {
    return StackWalker.getInstance()
        .walk(s ->
            s.anyMatch(f ->
                f.getClassName().equals(TableLoad.class.getName())
                    && f.getMethodName().equals("run")));
  }
}
