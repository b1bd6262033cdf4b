package dev.weir.tasks.queue.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;

class KafkaErrorsTest {
  private static final String JAAS =
      "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"weir\""
          + " password=\"hunter2-secret\";";

  private final KafkaSettings settings =
      new KafkaSettings(
          KafkaBrokerTest.connection(
              "kafka-1:9092",
              Map.of("sasl.jaas.config", JAAS, "ssl.truststore.password", "trust-me-pw")));
  private final KafkaErrors errors = new KafkaErrors(settings);

  @Test
  void a_client_error_quoting_a_secret_is_masked_and_not_kept_as_cause() {
    var quoted =
        new KafkaException(
            "Failed to construct kafka producer",
            new IllegalArgumentException("bad option in " + JAAS + " and trust-me-pw"));

    var error = errors.explain("publishing to topic 'orders'", quoted);

    assertThat(error.getMessage())
        .isEqualTo(
            "kafka connection 'stream' (kafka-1:9092): publishing to topic 'orders' failed:"
                + " IllegalArgumentException: bad option in ****** and ******")
        .doesNotContain("hunter2-secret");
    assertThat(error.getCause()).isNull();
  }

  @Test
  void the_password_inside_a_jaas_line_is_masked_on_its_own() {
    var error =
        errors.explain(
            "subscribing to topic 'orders'",
            new SaslAuthenticationException("credentials hunter2-secret rejected"));

    assertThat(error.getMessage())
        .contains("authentication failed (credentials ****** rejected)")
        .contains("check sasl.mechanism and sasl.jaas.config");
  }

  @Test
  void an_error_without_secrets_keeps_its_cause_for_the_stack_trace() {
    var plain = new KafkaException("leader not available");

    assertThat(errors.explain("publishing to topic 'orders'", plain).getCause()).isSameAs(plain);
  }

  @Test
  void secret_properties_are_recognised_by_name() {
    assertThat(KafkaSettings.isSecret("sasl.jaas.config")).isTrue();
    assertThat(KafkaSettings.isSecret("ssl.key.password")).isTrue();
    assertThat(KafkaSettings.isSecret("ssl.keystore.key")).isTrue();
    assertThat(KafkaSettings.isSecret("security.protocol")).isFalse();
    assertThat(KafkaSettings.isSecret("max.poll.records")).isFalse();
  }
}
