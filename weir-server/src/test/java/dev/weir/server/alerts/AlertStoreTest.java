package dev.weir.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.server.flows.FlowKey;
import dev.weir.store.JdbcStateStore;
import dev.weir.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The alert state of schema v7 on every store: H2 and PostgreSQL. */
class AlertStoreTest {
  private static final FlowKey FLOW = new FlowKey("shop", "orders");
  private static final Instant T0 = Instant.parse("2026-11-21T05:00:00Z");

  @TempDir static Path dir;

  static Stream<Arguments> stores() {
    return Stream.of(
        Arguments.of(
            "h2",
            (java.util.function.Supplier<JdbcStateStore>)
                () -> JdbcStateStore.h2(dir.resolve(java.util.UUID.randomUUID().toString()))),
        Arguments.of(
            "postgresql",
            (java.util.function.Supplier<JdbcStateStore>) TestDatabases::freshPostgresStore));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void a_success_after_failures_is_a_recovery_once(
      String name, java.util.function.Supplier<JdbcStateStore> open) {
    try (JdbcStateStore store = open.get()) {
      var s = new AlertStore(store.dataSource());
      assertThat(s.succeeded(FLOW, "r0", T0)).isFalse();
      s.failed(FLOW, "r1", T0);
      s.failed(FLOW, "r2", T0);
      assertThat(s.succeeded(FLOW, "r3", T0)).isTrue();
      assertThat(s.succeeded(FLOW, "r4", T0)).isFalse();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void one_alert_per_window_until_a_reset(
      String name, java.util.function.Supplier<JdbcStateStore> open) {
    try (JdbcStateStore store = open.get()) {
      var s = new AlertStore(store.dataSource());
      Duration w = Duration.ofMinutes(30);
      assertThat(s.claim(FLOW, "failed", "slack#0", T0, w)).isTrue();
      assertThat(s.claim(FLOW, "failed", "slack#0", T0.plusSeconds(60), w)).isFalse();
      assertThat(s.claim(FLOW, "failed", "email#1", T0.plusSeconds(60), w)).isTrue();
      assertThat(s.claim(FLOW, "slaMissed", "slack#0", T0.plusSeconds(60), w)).isTrue();
      assertThat(s.claim(FLOW, "failed", "slack#0", T0.plus(w), w)).isTrue();
      assertThat(s.claim(FLOW, "failed", "slack#0", T0.plus(w).plusSeconds(1), w)).isFalse();
      s.resetThrottles(FLOW);
      assertThat(s.claim(FLOW, "failed", "slack#0", T0.plus(w).plusSeconds(2), w)).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void an_sla_miss_is_recorded_once_per_run(
      String name, java.util.function.Supplier<JdbcStateStore> open) {
    try (JdbcStateStore store = open.get()) {
      var s = new AlertStore(store.dataSource());
      assertThat(s.slaMissed(FLOW, "r1", "late", T0)).isTrue();
      assertThat(s.slaMissed(FLOW, "r1", "late", T0)).isFalse();
      assertThat(s.slaMissed(FLOW, "r2", "late", T0)).isTrue();
    }
  }
}
