package dev.weir.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.gate.CircuitBreakers;
import dev.weir.server.Observability;
import dev.weir.server.ServerFixture;
import dev.weir.server.WeirServer;
import dev.weir.testing.SettableClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real server with a pool ({@code warehouse}, 2 slots) and circuit breakers that open at the
 * first failure, and runs after which every family of Weir's has a series: runs that succeed and
 * fail, a task retried, rows, a pool used, a connection whose circuit opened.
 */
final class MeteredRuns {
  static final String METERED =
      """
      id: metered
      namespace: shop.sales
      inputs:
        - {id: fail, type: boolean, default: false}
      retry: {attempts: 2, delay: 10ms}
      tasks:
        - {id: extract, type: test.ok, values: {rows: 42}, pool: warehouse}
        - {id: flaky, type: test.flaky, failures: 1}
        - id: check
          type: test.fail
          retryable: false
          message: bad rows
          condition: "{{ inputs.fail }}"
      """;

  static final String DOWN =
      """
      id: down
      namespace: shop.sales
      tasks:
        - {id: fetch, type: test.fail, connection: source_db, connectionFailure: true}
      """;

  private MeteredRuns() {}

  static void start(ServerFixture fx, SettableClock clock, Observability observability) {
    fx.server =
        WeirServer.start(
            fx.options()
                .withGates(
                    Map.of("warehouse", 2), new CircuitBreakers.Settings(1, Duration.ofMinutes(5)))
                .withClock(clock)
                .withEnvironment(Map.of(), null)
                .withObservability(observability),
            token -> {});
  }

  static String startRun(ServerFixture fx, String flow, String body) {
    var r = fx.post("/flows/" + flow + "/runs", body);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json().path("runId").asText();
  }

  /**
   * Starts the server with both flows, runs {@code metered} 3 times as it is and once failing and
   * {@code down} once, and waits for the 5 runs to end; their ids.
   */
  static List<String> runAll(ServerFixture fx) throws IOException {
    fx.writeFlow("metered.yaml", METERED);
    fx.writeFlow("down.yaml", DOWN);
    start(fx, null, null);
    var ids = new ArrayList<String>();
    for (int i = 0; i < 3; i++) {
      ids.add(startRun(fx, "shop.sales/metered", "{}"));
    }
    ids.add(startRun(fx, "shop.sales/metered", "{\"inputs\": {\"fail\": true}}"));
    ids.add(startRun(fx, "shop.sales/down", "{}"));
    for (String id : ids) {
      fx.awaitRun(id);
    }
    return ids;
  }
}
