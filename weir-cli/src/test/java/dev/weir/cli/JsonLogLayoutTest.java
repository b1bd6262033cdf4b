package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.expr.Masker;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class JsonLogLayoutTest {
  @Test
  void a_log_event_is_one_json_line_with_secrets_masked() throws Exception {
    var masker = new Masker();
    masker.register("s3cr3t-value");
    var layout = new JsonLogLayout();
    layout.useMasker(masker);
    var logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("dev.weir.Test");
    var event =
        new LoggingEvent(
            "x",
            logger,
            Level.WARN,
            "schedule {} could not start: {}",
            new IllegalStateException("bad s3cr3t-value"),
            new Object[] {"shop/daily", "'s3cr3t-value' is not a valid int"});

    String line = layout.doLayout(event);

    assertThat(line).endsWith("\n").doesNotContain("s3cr3t-value");
    assertThat(line.strip()).doesNotContain("\n");
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.path("level").asText()).isEqualTo("WARN");
    assertThat(json.path("logger").asText()).isEqualTo("dev.weir.Test");
    assertThat(json.path("message").asText())
        .isEqualTo("schedule shop/daily could not start: '******' is not a valid int");
    assertThat(json.path("error").asText()).contains("IllegalStateException: bad ******");
    assertThat(json.path("ts").asText()).endsWith("Z");
    assertThat(json.has("thread")).isTrue();
  }
}
