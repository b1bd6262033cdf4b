package dev.weir.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonStreamContext;
import dev.weir.expr.Masker;
import dev.weir.logs.LogFields;
import java.io.IOException;
import net.logstash.logback.composite.loggingevent.mdc.MdcEntryWriter;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;
import net.logstash.logback.mask.MaskingJsonGeneratorDecorator;
import net.logstash.logback.mask.ValueMasker;
import org.slf4j.LoggerFactory;

/**
 * The process's own log as JSON lines ({@code weir server --log-format json}) through
 * logstash-logback-encoder, with {@link LogFields}' names: {@code @timestamp} (UTC), {@code level},
 * {@code logger}, {@code thread}, {@code message}, {@code stack_trace}, and during a task attempt
 * {@code run_id}, {@code flow}, {@code task}, {@code attempt}. Every string value is masked with
 * the server's secrets. Only {@code --log-format json} loads this class and the encoder, so other
 * commands do not pay for them at start-up.
 */
final class JsonConsoleLog implements ValueMasker {
  private volatile Masker masker = new Masker();

  private JsonConsoleLog() {}

  /** Masks with the server's masker from now on (the one that knows its secrets). */
  void useMasker(Masker m) {
    this.masker = m;
  }

  @Override
  public Object mask(JsonStreamContext context, Object value) {
    if (value instanceof String s) {
      String masked = masker.mask(s);
      return masked.equals(s) ? null : masked;
    }
    return null;
  }

  /** The encoder, configured and started. */
  static LogstashEncoder encoder(LoggerContext ctx, JsonConsoleLog log) {
    var names = new LogstashFieldNames();
    names.setTimestamp(LogFields.TIMESTAMP);
    names.setLevel(LogFields.LEVEL);
    names.setLogger(LogFields.LOGGER);
    names.setThread(LogFields.THREAD);
    names.setMessage(LogFields.MESSAGE);
    names.setStackTrace(LogFields.STACK_TRACE);
    names.setVersion("[ignore]");
    names.setLevelValue("[ignore]");
    var masking = new MaskingJsonGeneratorDecorator();
    masking.addValueMasker(log);
    masking.start();
    var encoder = new LogstashEncoder();
    encoder.setContext(ctx);
    encoder.setFieldNames(names);
    encoder.setTimestampPattern("[ISO_INSTANT]");
    encoder.setIncludeMdcKeyNames(
        java.util.List.of(LogFields.RUN_ID, LogFields.FLOW, LogFields.TASK, LogFields.ATTEMPT));
    encoder.addMdcEntryWriter(new AttemptAsNumber());
    encoder.setJsonGeneratorDecorator(masking);
    encoder.start();
    return encoder;
  }

  /** Sends every log event of the process to stderr as JSON lines instead of text. */
  /**
   * The JSON console log when {@code --log-format} (or WEIR_LOG_FORMAT) asks for it, installed;
   * null for text (the default).
   *
   * @throws picocli.CommandLine.ParameterException for a format that is neither text nor json
   */
  static JsonConsoleLog installIfAsked(picocli.CommandLine.Model.CommandSpec spec, String format) {
    if (format == null || format.equals("text")) {
      return null;
    }
    if (!format.equals("json")) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--log-format (or WEIR_LOG_FORMAT) must be text or json, got '" + format + "'");
    }
    return install();
  }

  static JsonConsoleLog install() {
    var ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    var log = new JsonConsoleLog();
    var appender = new ConsoleAppender<ILoggingEvent>();
    appender.setContext(ctx);
    appender.setName("JSON");
    appender.setTarget("System.err");
    appender.setEncoder(encoder(ctx, log));
    appender.start();
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
    return log;
  }

  /** {@code attempt} as a number, as in the task log files; MDC values are strings. */
  private static final class AttemptAsNumber implements MdcEntryWriter {
    @Override
    public boolean writeMdcEntry(
        JsonGenerator generator, String fieldName, String mdcKey, String value) throws IOException {
      if (!mdcKey.equals(LogFields.ATTEMPT)) {
        return false;
      }
      try {
        generator.writeNumberField(fieldName, Integer.parseInt(value));
        return true;
      } catch (NumberFormatException e) {
        return false;
      }
    }
  }
}
