package dev.weir.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.WeirException;
import dev.weir.engine.gate.CircuitBreakers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigFileTest {
  @TempDir Path dir;

  private ServerConfigFile load(String yaml) throws Exception {
    Path f = dir.resolve("server.yaml");
    Files.writeString(f, yaml);
    return ServerConfigFile.load(f);
  }

  @Test
  void pools_and_circuit_breaker_are_read() throws Exception {
    var c =
        load(
            """
            pools: {warehouse: 2, api: 5}
            circuitBreaker: {failures: 3, openFor: 2m}
            """);
    assertThat(c.pools()).isEqualTo(Map.of("warehouse", 2, "api", 5));
    assertThat(c.circuitBreaker())
        .isEqualTo(new CircuitBreakers.Settings(3, Duration.ofMinutes(2)));
  }

  @Test
  void the_circuit_breaker_defaults_to_5_failures_and_60s_key_by_key() throws Exception {
    assertThat(load("port: 9000\n").circuitBreaker())
        .isEqualTo(new CircuitBreakers.Settings(5, Duration.ofSeconds(60)));
    assertThat(load("circuitBreaker: {openFor: 10s}\n").circuitBreaker())
        .isEqualTo(new CircuitBreakers.Settings(5, Duration.ofSeconds(10)));
    assertThat(ServerConfigFile.empty().circuitBreaker())
        .isEqualTo(CircuitBreakers.Settings.DEFAULTS);
  }

  @Test
  void bad_pool_and_circuit_breaker_values_are_all_reported_at_once() {
    assertThatThrownBy(() ->
            load(
                """
                pools: {warehouse: 0}
                circuitBreaker: {failures: 1.5, openFor: soon, openFro: 1m}
                """))
        .isInstanceOf(WeirException.class)
        .hasMessageEndingWith(
            "has 4 problem(s):\n"
                + "  pools.warehouse must be a whole number ≥ 1, e.g. `warehouse: 4`\n"
                + "  unknown key 'circuitBreaker.openFro'; did you mean 'openFor'? (known:"
                + " [failures, openFor])\n"
                + "  circuitBreaker.failures must be a whole number ≥ 1, got 1.5; e.g. `failures:"
                + " 5`\n"
                + "  circuitBreaker.openFor: 'soon' is not a duration; write it like 30s, 5m, 2h,"
                + " 1d or PT5M");
  }

  @Test
  void lineage_goes_to_a_file_beside_the_config_or_to_a_url_with_a_key() throws Exception {
    assertThat(load("lineage: {file: out/events.jsonl}\n").lineage())
        .isEqualTo(
            dev.weir.lineage.LineageConfig.toFile(
                dir.toAbsolutePath().resolve("out/events.jsonl")));
    var http = load("lineage: {url: 'http://marquez:5000', apiKey: k3y}\n").lineage();
    assertThat(http.url()).hasToString("http://marquez:5000");
    assertThat(http.apiKey()).isEqualTo("k3y");
    assertThat(http.toString()).doesNotContain("k3y");
    assertThat(load("port: 1\n").lineage()).isNull();
  }

  @Test
  void bad_lineage_settings_are_reported_with_an_example() {
    assertThatThrownBy(() -> load("lineage: {file: a.jsonl, url: 'http://x', apikey: k}\n"))
        .isInstanceOf(WeirException.class)
        .hasMessageContaining("unknown key 'lineage.apikey'; did you mean 'apiKey'?")
        .hasMessageContaining(
            "lineage needs exactly one of file and url, e.g. `lineage: {file: lineage.jsonl}`");
    assertThatThrownBy(() -> load("lineage: {url: 'marquez:5000'}\n"))
        .isInstanceOf(WeirException.class)
        .hasMessageContaining("lineage.url must be an http(s) URL, got 'marquez:5000'");
  }

  @Test
  void logs_and_metrics_are_read_with_a_log_dir_beside_the_file() throws Exception {
    var c =
        load(
            """
            logs: {dir: weir-logs, retention: 30d, files: true}
            metrics: {public: true}
            """);
    assertThat(c.observability())
        .isEqualTo(new Observability(dir.resolve("weir-logs"), true, Duration.ofDays(30), true));
    assertThat(load("port: 9000\n").observability()).isEqualTo(Observability.DEFAULTS);
    assertThat(Observability.DEFAULTS.logDir(dir)).isEqualTo(dir.resolve("logs"));
  }

  @Test
  void bad_logs_and_metrics_values_are_all_reported_at_once() {
    assertThatThrownBy(() ->
            load(
                """
                logs: {retention: a month, keep: 3}
                metrics: {public: yes please}
                """))
        .isInstanceOf(WeirException.class)
        .hasMessageContaining("has 3 problem(s)")
        .hasMessageContaining("unknown key 'logs.keep' (known: [dir, retention, files])")
        .hasMessageContaining("logs.retention: ")
        .hasMessageContaining("e.g. `retention: 30d`")
        .hasMessageContaining("metrics.public must be true or false, got \"yes please\"");
  }

  @Test
  void alerts_settings_are_read_with_defaults_key_by_key() throws Exception {
    var c =
        load(
            """
            alerts:
              baseUrl: https://weir.example.com/
              throttle: 1h
              smtp: {host: mail.example.com, port: 587, from: weir@example.com, username: weir,
                     password: s3cret-pass, starttls: true}
            """);
    var a = c.alerts();
    assertThat(a.baseUrl()).isEqualTo("https://weir.example.com");
    assertThat(a.throttle()).isEqualTo(Duration.ofHours(1));
    assertThat(a.smtp().port()).isEqualTo(587);
    assertThat(a.attempts()).isEqualTo(3);
    assertThat(a.toString()).doesNotContain("s3cret-pass");
    assertThat(ServerConfigFile.empty().alerts().throttle()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void bad_alerts_settings_fail_start_up_all_at_once() {
    assertThatThrownBy(() ->
            load(
                """
                alerts:
                  throtle: 1h
                  retryDelay: soon
                  smtp: {port: 25}
                """))
        .isInstanceOf(WeirException.class)
        .hasMessageContaining("3 problem(s)")
        .hasMessageContaining("unknown key 'alerts.throtle'; did you mean 'throttle'?")
        .hasMessageContaining("alerts.retryDelay: 'soon' is not a duration")
        .hasMessageContaining("smtp needs a host");
  }
}
