package dev.weir.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.flow.alert.AlertChannel;
import dev.weir.flow.alert.AlertEvent;
import dev.weir.flow.alert.AlertRule;
import dev.weir.flow.alert.Sla;
import dev.weir.task.TaskRegistry;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** {@code sla:} and {@code alerts:}; the rules they break are fixtures in flows/invalid/. */
class AlertParsingTest {
  private final FlowParser parser = new FlowParser(TaskRegistry.load());

  private Flow parse(String yaml) {
    return parser.parse("flow.yaml", yaml);
  }

  @Test
  void reads_a_stream_lag_sla_and_the_position_lost_event() {
    Flow flow =
        parse(
            """
            id: cdc
            sla: {lag: 30s}
            alerts:
              - on: [slaMissed, positionLost]
                webhook: {url: "http://127.0.0.1:1/hook"}
            tasks:
              - {id: t, type: test.ok}
            """);
    assertThat(flow.sla().lag()).isEqualTo(Duration.ofSeconds(30));
    assertThat(flow.alerts().get(0).on())
        .containsExactlyInAnyOrder(AlertEvent.SLA_MISSED, AlertEvent.POSITION_LOST);
  }

  @Test
  void a_lag_that_is_not_a_duration_is_refused_with_an_example() {
    assertThatThrownBy(
            () -> parse("id: cdc\nsla: {lag: soon}\ntasks:\n  - {id: t, type: test.ok}\n"))
        .hasMessageContaining("sla.lag")
        .hasMessageContaining("'soon' is not a duration; write it like 30s");
  }

  @Test
  void reads_sla_and_one_rule_per_channel() {
    Flow flow = parser.parse("alerts.yaml", Fixtures.read("valid", "alerts.yaml"));
    assertThat(flow.sla())
        .isEqualTo(
            new Sla(Duration.ofHours(2), LocalTime.of(7, 0), ZoneId.of("Europe/Berlin"), false));
    assertThat(flow.alerts())
        .extracting(AlertRule::channel)
        .containsExactly(
            AlertChannel.SLACK, AlertChannel.WEBHOOK, AlertChannel.PAGERDUTY, AlertChannel.EMAIL);
    AlertRule slack = flow.alerts().get(0);
    assertThat(slack.on())
        .containsExactlyInAnyOrder(AlertEvent.FAILED, AlertEvent.SLA_MISSED, AlertEvent.RECOVERED);
    assertThat(slack.settings().get("webhook").asText()).isEqualTo("{{ secret('SLACK_URL') }}");
    assertThat(flow.alerts().get(1).throttle()).isEqualTo(Duration.ofHours(1));
    assertThat(flow.alerts().get(1).key()).isEqualTo("webhook#1");
    assertThat(flow.alerts().get(3).on()).containsExactly(AlertEvent.FAILED);
  }

  @Test
  void a_flow_without_sla_gets_the_automatic_check_only() {
    Flow flow = parse("id: f\ntasks: [{id: a, type: test.ok}]\n");
    assertThat(flow.sla()).isEqualTo(Sla.DEFAULT);
    assertThat(flow.sla().auto()).isTrue();
    assertThat(flow.alerts()).isEmpty();
  }

  @Test
  void a_rule_never_prints_its_settings() {
    Flow flow =
        parse(
            "id: f\ntasks: [{id: a, type: test.ok}]\n"
                + "alerts: [{on: [failed], webhook: {url: 'https://x.example/?token=hunter22'}}]\n");
    assertThat(flow.alerts().get(0).toString()).doesNotContain("hunter22");
  }
}
