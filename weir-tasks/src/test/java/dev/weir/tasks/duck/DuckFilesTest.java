package dev.weir.tasks.duck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.testing.DuckLockHolder;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a DuckDB file that another process holds: wait, then name the holder. */
class DuckFilesTest {
  @TempDir Path dir;

  @Test
  void a_file_locked_by_another_process_fails_after_the_wait_naming_its_pid_and_command()
      throws Exception {
    Path file = dir.resolve("warehouse.duckdb");
    Process holder = DuckLockHolder.start(file, 60_000);
    try {
      long started = System.nanoTime();
      assertThatThrownBy(() ->
              DuckFiles.connect("jdbc:duckdb:" + file, new Properties(), Duration.ofMillis(300)))
          .isInstanceOf(DuckFiles.Locked.class)
          .hasMessage(
              file
                  + " is locked by another process (PID "
                  + holder.pid()
                  + ": java dev.weir.testing.DuckLockHolder "
                  + file
                  + " 60000); waited 300ms; stop that process, or wait longer with"
                  + " WEIR_DUCKDB_LOCK_WAIT (e.g. 60s)")
          .satisfies(e -> assertThat(((DuckFiles.Locked) e).retryable()).isTrue());
      long waitedMs = (System.nanoTime() - started) / 1_000_000;
      assertThat(waitedMs).isBetween(300L, 10_000L);
    } finally {
      holder.destroyForcibly().waitFor();
    }
  }

  @Test
  void a_lock_released_during_the_wait_is_taken() throws Exception {
    Path file = dir.resolve("warehouse.duckdb");
    Process holder = DuckLockHolder.start(file, 1_000);
    try {
      long started = System.nanoTime();
      try (Connection c =
          DuckFiles.connect("jdbc:duckdb:" + file, new Properties(), Duration.ofSeconds(30))) {
        assertThat(c.isValid(1)).isTrue();
      }
      // it waited for the holder (about a second), not for the whole bound
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
      assertThat(holder.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    } finally {
      holder.destroyForcibly().waitFor();
    }
  }
}
