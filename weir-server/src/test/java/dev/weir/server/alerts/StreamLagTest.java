package dev.weir.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.StreamEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A stalled stream (changes waiting, no batch applied) misses its lag SLA once per episode. */
class StreamLagTest {
  private static StreamEvent.Waiting waiting(long lagMillis) {
    return new StreamEvent.Waiting("r1", "shop", "orders_cdc", "follow", 3, lagMillis);
  }

  private static StreamEvent.BatchApplied batch(long lagMillis) {
    return new StreamEvent.BatchApplied(
        "r1", "shop", "orders_cdc", "follow", 1, new long[] {lagMillis});
  }

  @Test
  void changes_waiting_past_the_sla_start_an_episode_that_an_applied_batch_ends() {
    var lag = new StreamLag();
    Duration sla = Duration.ofSeconds(30);

    assertThat(lag.late(waiting(10_000), sla)).isEmpty();
    assertThat(lag.late(waiting(45_000), sla))
        .hasValueSatisfying(why ->
            assertThat(why)
                .contains("task follow has 3 changes waiting unapplied")
                .contains("45.0s ago")
                .contains("more than the SLA's lag of 30.0s"));
    assertThat(lag.late(waiting(60_000), sla)).as("one alert per episode").isEmpty();
    assertThat(lag.late(batch(45_000), sla)).as("still the same episode").isEmpty();

    assertThat(lag.late(batch(100), sla)).isEmpty(); // caught up: the episode ends
    assertThat(lag.late(waiting(31_000), sla)).isPresent();
  }
}
