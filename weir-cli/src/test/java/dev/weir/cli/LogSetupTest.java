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
  void debeziums_warning_per_dropped_lag_measurement_is_kept_out_but_its_errors_are_not() {
    var ctx = new LoggerContext();
    var setup = new LogSetup();
    setup.setContext(ctx);
    setup.configure(ctx);
    var collector = ctx.getLogger("io.debezium.metrics.stats.MeasurementCollector");

    assertThat(collector.isWarnEnabled()).isFalse();
    assertThat(collector.isErrorEnabled()).isTrue();
    assertThat(ctx.getLogger("io.debezium.connector.postgresql").isWarnEnabled()).isTrue();
    ctx.stop();
  }

  @Test
  void the_server_console_stamps_every_line_with_its_date_and_time_and_shows_run_lines() {
    var ctx = new LoggerContext();
    var setup = new LogSetup();
    setup.setContext(ctx);
    setup.configure(ctx);
    LogSetup.forServer(ctx, false);
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    var appender = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDERR");
    long at = java.time.Instant.parse("2026-12-02T21:04:05.123Z").toEpochMilli();
    String stamp =
        java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .format(java.time.Instant.ofEpochMilli(at).atZone(java.time.ZoneId.systemDefault()));

    var runs = ctx.getLogger(dev.weir.server.runs.RunConsoleLog.LOGGER);
    var started =
        new LoggingEvent(
            "x", runs, Level.INFO, "run started  team.a/orders  run_1  (schedule)", null, null);
    started.setTimeStamp(at);
    var warning =
        new LoggingEvent(
            "x", ctx.getLogger("dev.weir.engine.Engine"), Level.WARN, "disk full", null, null);
    warning.setTimeStamp(at);

    assertThat(runs.isEnabledFor(Level.INFO)).isTrue();
    assertThat(ctx.getLogger("dev.weir.engine.Engine").isEnabledFor(Level.INFO)).isFalse();
    assertThat(appender.isStarted()).isTrue();
    assertThat(new String(appender.getEncoder().encode(started), StandardCharsets.UTF_8))
        .isEqualTo(
            stamp
                + " INFO  weir.runs - run started  team.a/orders  run_1  (schedule)"
                + System.lineSeparator());
    assertThat(new String(appender.getEncoder().encode(warning), StandardCharsets.UTF_8))
        .isEqualTo(stamp + " WARN  d.weir.engine.Engine - disk full" + System.lineSeparator())
        .matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} WARN .*\\R");
    ctx.stop();
  }

  @Test
  void a_server_with_json_logs_keeps_its_layout_and_gets_the_run_lines() {
    var ctx = new LoggerContext();
    var setup = new LogSetup();
    setup.setContext(ctx);
    setup.configure(ctx);
    var before = ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
    var encoder = ((ConsoleAppender<ILoggingEvent>) before).getEncoder();

    LogSetup.forServer(ctx, true);

    assertThat(ctx.getLogger("weir.runs").isEnabledFor(Level.INFO)).isTrue();
    assertThat(((ConsoleAppender<ILoggingEvent>) before).getEncoder()).isSameAs(encoder);
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
