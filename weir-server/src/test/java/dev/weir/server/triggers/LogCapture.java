package dev.weir.server.triggers;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Every log line of Weir's and Jetty's loggers at INFO and above while it is open. */
public final class LogCapture implements AutoCloseable {
  private static final List<String> NAMES = List.of("dev.weir", "org.eclipse.jetty", "io.javalin");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  public LogCapture() {
    appender.start();
    for (String name : NAMES) {
      Logger l = (Logger) LoggerFactory.getLogger(name);
      l.setLevel(Level.INFO);
      l.addAppender(appender);
    }
  }

  /** The lines so far, with the messages of their exceptions. */
  public String text() {
    var sb = new StringBuilder();
    for (ILoggingEvent e : List.copyOf(appender.list)) {
      sb.append(e.getFormattedMessage()).append('\n');
      for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        sb.append(t.getMessage()).append('\n');
      }
    }
    return sb.toString();
  }

  @Override
  public void close() {
    for (String name : NAMES) {
      Logger l = (Logger) LoggerFactory.getLogger(name);
      l.detachAppender(appender);
      l.setLevel(null);
    }
  }
}
