package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.expr.Masker;
import dev.weir.logs.LogFields;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class JsonConsoleLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String encode(Masker masker, LoggingEvent event) throws Exception {
    var ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    var method = JsonConsoleLog.class.getDeclaredConstructor();
    method.setAccessible(true);
    JsonConsoleLog log = method.newInstance();
    log.useMasker(masker);
    var encoder = JsonConsoleLog.encoder(ctx, log);
    try {
      return new String(encoder.encode(event), StandardCharsets.UTF_8);
    } finally {
      encoder.stop();
    }
  }

  private static LoggingEvent event(Level level, String msg, Throwable t, Object... args) {
    var logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("dev.weir.Test");
    var e = new LoggingEvent("x", logger, level, msg, t, args);
    e.setTimeStamp(Instant.parse("2026-11-21T05:12:09.123Z").toEpochMilli());
    return e;
  }

  @Test
  void a_log_event_is_one_json_line_with_standard_names_and_secrets_masked() throws Exception {
    var masker = new Masker();
    masker.register("s3cr3t-value");

    String line =
        encode(
            masker,
            event(
                Level.WARN,
                "schedule {} could not start: {}",
                new IllegalStateException("bad s3cr3t-value"),
                "shop/daily",
                "'s3cr3t-value' is not a valid int"));

    assertThat(line).endsWith("\n").doesNotContain("s3cr3t-value");
    assertThat(line.strip()).doesNotContain("\n");
    JsonNode json = JSON.readTree(line);
    assertThat(json.path("@timestamp").asText()).isEqualTo("2026-11-21T05:12:09.123Z");
    assertThat(json.path("level").asText()).isEqualTo("WARN");
    assertThat(json.path("logger").asText()).isEqualTo("dev.weir.Test");
    assertThat(json.path("message").asText())
        .isEqualTo("schedule shop/daily could not start: '******' is not a valid int");
    assertThat(json.path("stack_trace").asText()).contains("IllegalStateException: bad ******");
    assertThat(json.has("thread")).isTrue();
    assertThat(json.has("@version")).isFalse();
    assertThat(json.has("level_value")).isFalse();
    assertThat(json.has("logger_name")).isFalse();
  }

  @Test
  void a_line_logged_during_a_task_attempt_carries_run_flow_task_and_attempt() throws Exception {
    var masker = new Masker();
    masker.register("pw-123");
    String line;
    try (var scope = LogFields.attempt("0mwq00qo0f1e", "shop.orders", "load", 2)) {
      MDC.put("unrelated", "x");
      line = encode(masker, event(Level.INFO, "pool {} ready, password pw-123", null, "wh"));
    } finally {
      MDC.remove("unrelated");
    }
    JsonNode json = JSON.readTree(line);

    assertThat(json.path("run_id").asText()).isEqualTo("0mwq00qo0f1e");
    assertThat(json.path("flow").asText()).isEqualTo("shop.orders");
    assertThat(json.path("task").asText()).isEqualTo("load");
    assertThat(json.path("attempt").isInt()).isTrue();
    assertThat(json.path("attempt").asInt()).isEqualTo(2);
    assertThat(json.path("message").asText()).isEqualTo("pool wh ready, password ******");
    assertThat(json.has("unrelated")).isFalse();
    assertThat(MDC.getCopyOfContextMap() == null ? Map.of() : MDC.getCopyOfContextMap())
        .doesNotContainKeys("run_id", "flow", "task", "attempt");
  }
}
