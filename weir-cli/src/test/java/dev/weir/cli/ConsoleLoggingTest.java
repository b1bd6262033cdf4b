package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** What the shipped logging configuration lets through to the console. */
class ConsoleLoggingTest {

  @Test
  void hikaris_broken_connection_warning_and_its_stack_trace_stay_off_the_console()
      throws Exception {
    LoggerContext ctx = shipped();
    // "Connection … marked as broken because of SQLSTATE(57P01)", with a 30-line trace: the task's
    // log says it in Weir's words ("… (SQLSTATE 57P01); retrying in 1.0s (try 2 of 6)")
    assertThat(ctx.getLogger("com.zaxxer.hikari.pool.ProxyConnection").isEnabledFor(Level.WARN))
        .isFalse();
    assertThat(ctx.getLogger("com.zaxxer.hikari.pool.HikariPool").isEnabledFor(Level.ERROR))
        .isFalse();
    assertThat(ctx.getLogger("dev.weir.engine.Engine").isEnabledFor(Level.WARN)).isTrue();
    ctx.stop();
  }

  private static LoggerContext shipped() throws Exception {
    // the main logback.xml, not a test configuration that may come first on the class path
    URL config = null;
    for (var e = ConsoleLoggingTest.class.getClassLoader().getResources("logback.xml");
        e.hasMoreElements(); ) {
      URL u = e.nextElement();
      if (u.toString().contains("weir-cli")) {
        config = u;
      }
    }
    assertThat(config).as("weir-cli's logback.xml on the class path").isNotNull();
    var ctx = new LoggerContext();
    var configurator = new JoranConfigurator();
    configurator.setContext(ctx);
    configurator.doConfigure(config);
    return ctx;
  }
}
