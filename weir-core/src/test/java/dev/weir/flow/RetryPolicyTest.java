package dev.weir.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static final RandomGenerator UNUSED =
      () -> {
        throw new AssertionError("no jitter, so no random number");
      };

  /** Answers every bounded draw with its lowest (or highest) possible value. */
  private static RandomGenerator always(boolean highest) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new AssertionError("only bounded draws expected");
      }

      @Override
      public long nextLong(long bound) {
        return highest ? bound - 1 : 0;
      }
    };
  }

  private static RetryPolicy policy(Backoff backoff, String delay, String max, boolean jitter) {
    return new RetryPolicy(
        5, backoff, Durations.parse(delay), max == null ? null : Durations.parse(max), jitter);
  }

  @Test
  void constant_backoff_waits_the_same_delay_every_time() {
    RetryPolicy p = policy(Backoff.CONSTANT, "10s", null, false);
    for (int attempt = 1; attempt <= 4; attempt++) {
      assertThat(p.delayAfter(attempt, UNUSED)).isEqualTo(Duration.ofSeconds(10));
    }
  }

  @Test
  void exponential_backoff_doubles_from_the_delay() {
    RetryPolicy p = policy(Backoff.EXPONENTIAL, "10s", "1h", false);
    assertThat(p.delayAfter(1, UNUSED)).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.delayAfter(2, UNUSED)).isEqualTo(Duration.ofSeconds(20));
    assertThat(p.delayAfter(3, UNUSED)).isEqualTo(Duration.ofSeconds(40));
    assertThat(p.delayAfter(4, UNUSED)).isEqualTo(Duration.ofSeconds(80));
  }

  @Test
  void exponential_backoff_is_capped_at_maxDelay() {
    RetryPolicy p = policy(Backoff.EXPONENTIAL, "10s", "30s", false);
    assertThat(p.delayAfter(2, UNUSED)).isEqualTo(Duration.ofSeconds(20));
    assertThat(p.delayAfter(3, UNUSED)).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.delayAfter(10, UNUSED)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void a_huge_attempt_number_does_not_overflow() {
    RetryPolicy p = policy(Backoff.EXPONENTIAL, "1d", "7d", false);
    assertThat(p.delayAfter(Integer.MAX_VALUE, UNUSED)).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void a_constant_delay_longer_than_maxDelay_is_capped_too() {
    RetryPolicy p = policy(Backoff.CONSTANT, "10m", "1m", false);
    assertThat(p.delayAfter(1, UNUSED)).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void jitter_picks_between_half_the_delay_and_the_whole_delay() {
    RetryPolicy p = policy(Backoff.EXPONENTIAL, "10s", "1h", true);
    assertThat(p.delayAfter(2, always(false))).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.delayAfter(2, always(true))).isEqualTo(Duration.ofSeconds(20));
    var random = new SplittableRandom(42);
    for (int i = 0; i < 1_000; i++) {
      assertThat(p.delayAfter(2, random)).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
    }
  }

  @Test
  void jitter_applies_after_the_cap() {
    RetryPolicy p = policy(Backoff.EXPONENTIAL, "10s", "30s", true);
    assertThat(p.delayAfter(9, always(false))).isEqualTo(Duration.ofSeconds(15));
    assertThat(p.delayAfter(9, always(true))).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void maxDelay_defaults_to_five_minutes_or_the_delay_when_longer() {
    assertThat(policy(Backoff.CONSTANT, "10s", null, false).maxDelay())
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(policy(Backoff.CONSTANT, "1h", null, false).maxDelay())
        .isEqualTo(Duration.ofHours(1));
  }

  @Test
  void fewer_than_one_attempt_is_refused() {
    assertThatThrownBy(() -> new RetryPolicy(0, Backoff.CONSTANT, null, null, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attempts must be at least 1, got 0");
  }
}
