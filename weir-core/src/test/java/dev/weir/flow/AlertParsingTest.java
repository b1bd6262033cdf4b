package dev.weir.flow;

import static org.assertj.core.api.Assertions.assertThat;

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
