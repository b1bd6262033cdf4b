package dev.weir.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.weir.server.runs.RunConsoleLog;

/**
 * The process's log configuration, in code rather than a {@code logback.xml}: warnings and errors
 * to stderr as {@code LEVEL logger - message}. Reading an XML file costs logback its XML parser and
 * its Joran interpreter, several hundred classes and a large share of a short command's start
 * (docs/decisions.md, "Start-up"). Found by logback through {@code META-INF/services}. A file given
 * with {@code -Dlogback.configurationFile} still wins.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
  static final String PATTERN = "%-5level %logger{20} - %msg%n";

  /**
   * {@code weir server}'s console: a long-running process whose lines are read hours later, so each
   * carries its date and time (the server's time zone), to the millisecond.
   */
  static final String SERVER_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} " + PATTERN;

  @Override
  public ExecutionStatus configure(LoggerContext ctx) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    var encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern(PATTERN);
    encoder.start();
    var appender = new ConsoleAppender<ILoggingEvent>();
    appender.setContext(ctx);
    appender.setName("STDERR");
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(appender);
    // HikariCP logs a lost connection as a WARN with a stack trace, and a refused first connection
    // as an ERROR; Weir reports each of these itself, in the task's log and its own words
    ctx.getLogger("com.zaxxer.hikari").setLevel(Level.OFF);
    // Debezium 3.6 queues a lag measurement per change for a thread that takes them one at a time
    // from a queue of 1,000, and warns "queue is full" for each one dropped: a streamed batch of
    // 10,000 changes overflows it (6,609 lines in one CdcBench run at 20,000 changes/s). Only its
    // own JMX lag statistics lose them; Weir measures lag itself.
    ctx.getLogger("io.debezium.metrics.stats.MeasurementCollector").setLevel(Level.ERROR);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * What {@code weir server} adds to the process's log: a line per run start and end ({@link
   * RunConsoleLog}) and, on the text console, a time stamp on every line. {@code weir run} keeps
   * the plain lines: its own output says when things happen. A file given with {@code
   * -Dlogback.configurationFile} is left as it is.
   */
  static void forServer(LoggerContext ctx, boolean json) {
    if (System.getProperty("logback.configurationFile") != null) {
      return;
    }
    ctx.getLogger(RunConsoleLog.LOGGER).setLevel(Level.INFO);
    // a node joining, adopting a dead node's runs, taking the flows lease, listening for the
    // other nodes' signals again: rare, and what an operator of a cluster looks for first
    ctx.getLogger(dev.weir.server.cluster.ClusterNode.class.getPackageName()).setLevel(Level.INFO);
    if (!json
        && ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")
            instanceof ConsoleAppender<ILoggingEvent> console) {
      var encoder = new PatternLayoutEncoder();
      encoder.setContext(ctx);
      encoder.setPattern(SERVER_PATTERN);
      encoder.start();
      console.stop();
      console.setEncoder(encoder);
      console.start();
    }
  }
}
