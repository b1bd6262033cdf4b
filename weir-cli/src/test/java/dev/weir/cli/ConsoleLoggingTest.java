package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;

/** What the shipped logging configuration ({@link LogSetup}) lets through to the console. */
class ConsoleLoggingTest {

  @Test
  void hikaris_broken_connection_warning_and_its_stack_trace_stay_off_the_console() {
    var ctx = new LoggerContext();
    var setup = new LogSetup();
    setup.setContext(ctx);
    setup.configure(ctx);
    // "Connection … marked as broken because of SQLSTATE(57P01)", with a 30-line trace: the task's
    // log says it in Weir's words ("… (SQLSTATE 57P01); retrying in 1.0s (try 2 of 6)")
    assertThat(ctx.getLogger("com.zaxxer.hikari.pool.ProxyConnection").isEnabledFor(Level.WARN))
        .isFalse();
    assertThat(ctx.getLogger("com.zaxxer.hikari.pool.HikariPool").isEnabledFor(Level.ERROR))
        .isFalse();
    assertThat(ctx.getLogger("dev.weir.engine.Engine").isEnabledFor(Level.WARN)).isTrue();
    ctx.stop();
  }
}
