package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogSetupTest {
  @Test
  void warnings_go_to_stderr_as_level_logger_message_and_info_is_dropped() {
    var ctx = new LoggerContext();
    var setup = new LogSetup();
    setup.setContext(ctx);
    setup.configure(ctx);
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    var appender = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDERR");

    assertThat(root.getLevel()).isEqualTo(Level.WARN);
    assertThat(appender.getTarget()).isEqualTo("System.err");
    var log = ctx.getLogger("dev.weir.engine.Engine");
    var event =
        new LoggingEvent(
            "x", log, Level.WARN, "disk {} is almost full", null, new Object[] {"/data"});
    assertThat(new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8))
        .isEqualTo(
            "WARN  d.weir.engine.Engine - disk /data is almost full" + System.lineSeparator());
    ctx.stop();
  }

  @Test
  void the_log_is_configured_in_code_not_by_an_xml_file_that_costs_start_up_time() {
    assertThat(LogSetup.class.getResource("/logback.xml")).isNull();
    assertThat(
            LogSetup.class.getResource(
                "/META-INF/services/ch.qos.logback.classic.spi.Configurator"))
        .isNotNull();
  }
}
