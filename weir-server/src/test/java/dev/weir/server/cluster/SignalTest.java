package dev.weir.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SignalTest {
  @Test
  void a_payload_names_its_kind_and_reads_back() {
    assertThat(Signal.queue("shop.sales", "orders").payload()).isEqualTo("queue:shop.sales/orders");
    assertThat(Signal.FLOWS.payload()).isEqualTo("flows");
    assertThat(Signal.RUNS.payload()).isEqualTo("runs");
    assertThat(Signal.parse("queue:shop.sales/orders"))
        .contains(Signal.queue("shop.sales", "orders"));
    assertThat(Signal.parse("flows")).contains(Signal.FLOWS);
    assertThat(Signal.parse("runs")).contains(Signal.RUNS);
  }

  @Test
  void the_attempt_queue_tells_on_the_channel_nodes_listen_on() {
    // weir-core's store sends these in the transactions of the attempt queue
    assertThat(Signal.CHANNEL).isEqualTo("weir_work");
    assertThat(Signal.parse("attempts")).contains(new Signal(Signal.Kind.ATTEMPTS, null));
    assertThat(Signal.parse("results")).contains(new Signal(Signal.Kind.RESULTS, null));
  }

  @Test
  void a_payload_of_a_newer_version_is_ignored() {
    assertThat(Signal.parse("tasks:x")).isEmpty();
    assertThat(Signal.parse("")).isEmpty();
    assertThat(Signal.parse(null)).isEmpty();
  }
}
