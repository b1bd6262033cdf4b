package dev.weir.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.weir.expr.Masker;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import org.slf4j.LoggerFactory;

/**
 * The process's own log as JSON lines ({@code weir server --log-format json}): {@code {"ts",
 * "level", "logger", "thread", "message", "error"}}, with the server's secrets masked in the
 * message and the stack trace.
 */
final class JsonLogLayout extends LayoutBase<ILoggingEvent> {
  private static final JsonFactory JSON = new JsonFactory();
  private volatile Masker masker = new Masker();

  /** Masks with the server's masker from now on (the one that knows its secrets). */
  void useMasker(Masker m) {
    this.masker = m;
  }

  @Override
  public String doLayout(ILoggingEvent e) {
    var out = new StringWriter(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("ts", Instant.ofEpochMilli(e.getTimeStamp()).toString());
      g.writeStringField("level", e.getLevel().toString());
      g.writeStringField("logger", e.getLoggerName());
      g.writeStringField("thread", e.getThreadName());
      g.writeStringField("message", masker.mask(e.getFormattedMessage()));
      if (e.getThrowableProxy() != null) {
        g.writeStringField(
            "error", masker.mask(ThrowableProxyUtil.asString(e.getThrowableProxy())));
      }
      g.writeEndObject();
    } catch (IOException x) {
      throw new IllegalStateException(x); // a StringWriter does not fail
    }
    return out + "\n";
  }

  /** Sends every log event of the process to stderr as JSON lines instead of text. */
  static JsonLogLayout install() {
    var ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    var layout = new JsonLogLayout();
    layout.setContext(ctx);
    layout.start();
    var encoder = new LayoutWrappingEncoder<ILoggingEvent>();
    encoder.setContext(ctx);
    encoder.setLayout(layout);
    encoder.start();
    var appender = new ConsoleAppender<ILoggingEvent>();
    appender.setContext(ctx);
    appender.setName("JSON");
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
    return layout;
  }
}
