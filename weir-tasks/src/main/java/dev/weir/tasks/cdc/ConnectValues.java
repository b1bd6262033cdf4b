package dev.weir.tasks.cdc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Debezium's Kafka Connect values and schemas in JDBC terms: the value to bind for a column, and
 * the column type (a DuckDB type name, which {@link dev.weir.tasks.jdbc.Dialect#columnType} turns
 * into each target's) to create for it. Debezium runs with precise decimals, microsecond times and
 * bytes as bytes.
 */
final class ConnectValues {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_PRECISION = 38; // DuckDB's; wider decimals are rare in practice

  private ConnectValues() {}

  /** The DuckDB type name of a column of schema {@code s}. */
  static String duckType(Schema s) {
    String name = s.name();
    if (name != null) {
      switch (name) {
        case Decimal.LOGICAL_NAME -> {
          int scale = Integer.parseInt(s.parameters().getOrDefault(Decimal.SCALE_FIELD, "0"));
          String p = s.parameters().get("connect.decimal.precision");
          int precision = p == null ? MAX_PRECISION : Math.min(Integer.parseInt(p), MAX_PRECISION);
          return "DECIMAL(" + Math.max(precision, scale) + "," + scale + ")";
        }
        case "io.debezium.data.VariableScaleDecimal" -> {
          return "DECIMAL(38,10)";
        }
        case "io.debezium.time.Date", org.apache.kafka.connect.data.Date.LOGICAL_NAME -> {
          return "DATE";
        }
        case "io.debezium.time.MicroTimestamp",
            "io.debezium.time.Timestamp",
            "io.debezium.time.NanoTimestamp",
            org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME -> {
          return "TIMESTAMP";
        }
        case "io.debezium.time.ZonedTimestamp" -> {
          return "TIMESTAMPTZ";
        }
        case "io.debezium.time.MicroTime",
            "io.debezium.time.Time",
            "io.debezium.time.NanoTime",
            org.apache.kafka.connect.data.Time.LOGICAL_NAME -> {
          return "TIME";
        }
        case "io.debezium.data.Uuid" -> {
          return "UUID";
        }
        case "io.debezium.data.Json" -> {
          return "JSON";
        }
        default -> {
          // an enum, bits, interval as text…: the plain type below
        }
      }
    }
    return switch (s.type()) {
      case INT8, INT16 -> "SMALLINT";
      case INT32 -> "INTEGER";
      case INT64 -> "BIGINT";
      case FLOAT32 -> "FLOAT";
      case FLOAT64 -> "DOUBLE";
      case BOOLEAN -> "BOOLEAN";
      case BYTES -> "BLOB";
      case ARRAY, MAP, STRUCT -> "JSON";
      case STRING -> "VARCHAR";
    };
  }

  /** The value to bind for {@code v} of schema {@code s}. */
  static Object jdbc(Schema s, Object v) {
    if (v == null) {
      return null;
    }
    String name = s.name();
    if (name != null) {
      switch (name) {
        case "io.debezium.data.VariableScaleDecimal" -> {
          Struct st = (Struct) v;
          return new BigDecimal(
              new java.math.BigInteger(st.getBytes("value")), st.getInt32("scale"));
        }
        case "io.debezium.time.Date" -> {
          return LocalDate.ofEpochDay(((Number) v).longValue());
        }
        case "io.debezium.time.MicroTimestamp" -> {
          return local(((Number) v).longValue(), 1_000_000L);
        }
        case "io.debezium.time.Timestamp" -> {
          return local(((Number) v).longValue(), 1_000L);
        }
        case "io.debezium.time.NanoTimestamp" -> {
          return local(((Number) v).longValue(), 1_000_000_000L);
        }
        case "io.debezium.time.ZonedTimestamp" -> {
          return OffsetDateTime.parse((String) v);
        }
        case "io.debezium.time.MicroTime" -> {
          return time(((Number) v).longValue() * 1_000);
        }
        case "io.debezium.time.Time" -> {
          return time(((Number) v).longValue() * 1_000_000);
        }
        case "io.debezium.time.NanoTime" -> {
          return time(((Number) v).longValue());
        }
        case org.apache.kafka.connect.data.Date.LOGICAL_NAME -> {
          return LocalDate.ofInstant(((java.util.Date) v).toInstant(), ZoneOffset.UTC);
        }
        case org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME -> {
          return LocalDateTime.ofInstant(((java.util.Date) v).toInstant(), ZoneOffset.UTC);
        }
        case org.apache.kafka.connect.data.Time.LOGICAL_NAME -> {
          return LocalTime.ofInstant(((java.util.Date) v).toInstant(), ZoneOffset.UTC);
        }
        default -> {
          // plain below
        }
      }
    }
    return switch (s.type()) {
      case BYTES -> v instanceof ByteBuffer b ? bytes(b) : v;
      case ARRAY, MAP, STRUCT -> json(plain(s, v));
      default -> v;
    };
  }

  private static final long NANOS_PER_DAY = 86_400_000_000_000L;

  /**
   * A time of day; a duration outside one day (MySQL's TIME runs from -838:59:59 to 838:59:59,
   * PostgreSQL's to 24:00:00) as text, {@code [-]HH:MM:SS[.ffffff]}, which a target whose TIME
   * holds it takes (MariaDB, PostgreSQL's 24:00:00) and another refuses — a refused change, set
   * aside with {@code deadLetter:} — instead of a value that stops the stream before any target.
   */
  static Object time(long nanos) {
    if (nanos >= 0 && nanos < NANOS_PER_DAY) {
      return LocalTime.ofNanoOfDay(nanos);
    }
    long abs = Math.abs(nanos);
    long seconds = abs / 1_000_000_000L;
    long micros = (abs % 1_000_000_000L) / 1_000;
    String text =
        String.format(
            "%s%02d:%02d:%02d",
            nanos < 0 ? "-" : "", seconds / 3600, seconds / 60 % 60, seconds % 60);
    return micros == 0 ? text : text + String.format(".%06d", micros);
  }

  private static LocalDateTime local(long value, long perSecond) {
    long seconds = Math.floorDiv(value, perSecond);
    long nanos = Math.floorMod(value, perSecond) * (1_000_000_000L / perSecond);
    return LocalDateTime.ofInstant(Instant.ofEpochSecond(seconds, nanos), ZoneOffset.UTC);
  }

  private static byte[] bytes(ByteBuffer b) {
    var copy = new byte[b.remaining()];
    b.duplicate().get(copy);
    return copy;
  }

  private static Object plain(Schema s, Object v) {
    if (v == null) {
      return null;
    }
    return switch (s.type()) {
      case ARRAY -> {
        var out = new ArrayList<>();
        for (Object item : (List<?>) v) {
          out.add(plain(s.valueSchema(), item));
        }
        yield out;
      }
      case MAP -> {
        var out = new LinkedHashMap<String, Object>();
        ((Map<?, ?>) v).forEach((k, x) -> out.put(String.valueOf(k), plain(s.valueSchema(), x)));
        yield out;
      }
      case STRUCT -> {
        var out = new LinkedHashMap<String, Object>();
        for (Field f : s.fields()) {
          out.put(f.name(), plain(f.schema(), ((Struct) v).get(f)));
        }
        yield out;
      }
      default -> {
        Object j = jdbc(s, v);
        yield j instanceof byte[] || j instanceof java.time.temporal.Temporal ? j.toString() : j;
      }
    };
  }

  private static String json(Object v) {
    try {
      return JSON.writeValueAsString(v);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
