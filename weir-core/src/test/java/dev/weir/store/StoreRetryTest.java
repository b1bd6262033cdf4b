package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StoreRetryTest {
  private final AtomicLong nanos = new AtomicLong();
  private final List<Duration> slept = new ArrayList<>();
  private final StoreRetry retry =
      new StoreRetry(
          "test store",
          new StoreRetry.Settings(
              Duration.ofSeconds(10), Duration.ofMillis(200), Duration.ofSeconds(2)),
          nanos::get,
          d -> {
            slept.add(d);
            nanos.addAndGet(d.toNanos());
          });

  @Test
  void a_lost_connection_is_tried_again_until_the_store_answers() throws Exception {
    var calls = new AtomicInteger();
    String result =
        retry.call(() -> {
          if (calls.incrementAndGet() < 4) {
            throw new SQLException("terminating connection due to administrator command", "57P01");
          }
          return "written";
        });
    assertThat(result).isEqualTo("written");
    assertThat(calls).hasValue(4);
    assertThat(slept).hasSize(3);
    // exponential with jitter: each wait in [d/2, d] for d = 200ms, 400ms, 800ms
    assertThat(slept.get(0)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(slept.get(2)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
  }

  @Test
  void gives_up_once_the_bound_has_passed_and_reports_the_failure_itself() {
    var calls = new AtomicInteger();
    SQLException e =
        assertThrows(
            SQLException.class,
            () ->
                retry.call(() -> {
                  calls.incrementAndGet();
                  throw new SQLException("Connection refused", "08001");
                }));
    assertThat(e.getMessage()).isEqualTo("Connection refused");
    assertThat(e.getSuppressed()[0].getMessage())
        .startsWith("gave up after " + calls.get() + " tries in ");
    assertThat(Duration.ofNanos(nanos.get())).isLessThanOrEqualTo(Duration.ofSeconds(10));
    assertThat(calls.get()).isBetween(6, 20);
  }

  @Test
  void a_duplicate_key_or_bad_sql_fails_at_once() {
    var calls = new AtomicInteger();
    assertThrows(
        SQLException.class,
        () ->
            retry.call(() -> {
              calls.incrementAndGet();
              throw new SQLException("duplicate key value violates unique constraint", "23505");
            }));
    assertThat(calls).hasValue(1);
    assertThat(slept).isEmpty();
  }

  @Test
  void none_does_not_retry() {
    var none = new StoreRetry("s", StoreRetry.Settings.NONE, nanos::get, slept::add);
    var calls = new AtomicInteger();
    assertThrows(
        SQLException.class,
        () ->
            none.call(() -> {
              calls.incrementAndGet();
              throw new SQLException("gone", "08006");
            }));
    assertThat(calls).hasValue(1);
  }
}
