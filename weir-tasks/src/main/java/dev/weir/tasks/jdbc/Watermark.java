package dev.weir.tasks.jdbc;

import dev.weir.flow.Durations;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The high-water mark of an incremental extract: the largest value of its column seen so far, kept
 * in the state store as {@code kind:value} so it binds back with the column's own type.
 */
record Watermark(Kind kind, String value) {
  enum Kind {
    TIMESTAMP,
    TIMESTAMPTZ,
    DATE,
    NUMBER,
    TEXT;

    static Kind ofDuckType(String duckType) {
      String t = duckType.toUpperCase(Locale.ROOT);
      if (t.startsWith("TIMESTAMP WITH TIME ZONE") || t.equals("TIMESTAMPTZ")) {
        return TIMESTAMPTZ;
      }
      if (t.startsWith("TIMESTAMP")) {
        return TIMESTAMP;
      }
      if (t.equals("DATE")) {
        return DATE;
      }
      if (t.matches("(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|DECIMAL.*|DOUBLE|FLOAT|REAL)")) {
        return NUMBER;
      }
      return TEXT;
    }

    /** The smallest value, for a first run without {@code initial}. */
    String minimum() {
      return switch (this) {
        case TIMESTAMP -> "1900-01-01T00:00";
        case TIMESTAMPTZ -> "1900-01-01T00:00Z";
        case DATE -> "1900-01-01";
        case NUMBER -> String.valueOf(Long.MIN_VALUE);
        case TEXT -> "";
      };
    }
  }

  static Watermark parse(String stored) {
    int cut = stored.indexOf(':');
    return new Watermark(
        Kind.valueOf(stored.substring(0, cut).toUpperCase(Locale.ROOT)), stored.substring(cut + 1));
  }

  /** The kind a hand-written {@code initial} value looks like. */
  static Kind guess(String text) {
    String t = text.strip();
    if (t.matches("-?\\d+(\\.\\d+)?")) {
      return Kind.NUMBER;
    }
    if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
      return Kind.DATE;
    }
    if (t.matches("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?")) {
      return Kind.TIMESTAMP;
    }
    if (t.matches("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}.*(Z|[+-]\\d{2}(:?\\d{2})?)")) {
      return Kind.TIMESTAMPTZ;
    }
    return Kind.TEXT;
  }

  /** Checks that {@code value} reads as {@code kind}; the message says what would. */
  static Watermark of(Kind kind, String value) {
    var w = new Watermark(kind, value.strip());
    try {
      w.bindValue();
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new IllegalArgumentException(
          "'"
              + value
              + "' is not a "
              + kind.name().toLowerCase(Locale.ROOT)
              + " value; write e.g. "
              + switch (kind) {
                case TIMESTAMP -> "'2026-01-01T00:00:00'";
                case TIMESTAMPTZ -> "'2026-01-01T00:00:00Z'";
                case DATE -> "'2026-01-01'";
                case NUMBER -> "0";
                case TEXT -> "'a'";
              });
    }
    return w;
  }

  String stored() {
    return kind.name().toLowerCase(Locale.ROOT) + ":" + value;
  }

  /** The value as the Java type JDBC drivers bind for the column's kind. */
  Object bindValue() {
    String v = value.replace(' ', 'T');
    return switch (kind) {
      case TIMESTAMP -> LocalDateTime.parse(v);
      case TIMESTAMPTZ -> OffsetDateTime.parse(v).withOffsetSameInstant(ZoneOffset.UTC);
      case DATE -> LocalDate.parse(v);
      case NUMBER -> new BigDecimal(value);
      case TEXT -> value;
    };
  }

  /** This mark moved back by the overlap window ({@code 5m}, {@code 2d}; a number for numbers). */
  Watermark minus(String overlap) {
    if (overlap == null || overlap.isBlank()) {
      return this;
    }
    Object v = bindValue();
    return switch (kind) {
      case TIMESTAMP ->
          new Watermark(kind, ((LocalDateTime) v).minus(Durations.parse(overlap)).toString());
      case TIMESTAMPTZ ->
          new Watermark(kind, ((OffsetDateTime) v).minus(Durations.parse(overlap)).toString());
      case DATE -> {
        Duration d = Durations.parse(overlap);
        long days = (d.toSeconds() + 86_399) / 86_400;
        yield new Watermark(kind, ((LocalDate) v).minusDays(days).toString());
      }
      case NUMBER ->
          new Watermark(kind, ((BigDecimal) v).subtract(new BigDecimal(overlap)).toString());
      case TEXT -> this;
    };
  }
}
