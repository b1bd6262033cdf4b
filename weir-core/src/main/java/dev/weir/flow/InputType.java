package dev.weir.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** The types a flow input can have; each parses its text form or names what it expected. */
public enum InputType {
  STRING("any text"),
  INT("a whole number like 42"),
  NUMBER("a number like 3.14"),
  BOOLEAN("true or false"),
  DATE("a date like 2026-01-31"),
  DATETIME("a date-time like 2026-01-31T05:00:00Z"),
  DURATION("a duration like " + Durations.EXAMPLES),
  JSON("a JSON value like {\"a\": 1}");

  private static final ObjectMapper JSON_MAPPER = new ObjectMapper();
  private final String expected;

  InputType(String expected) {
    this.expected = expected;
  }

  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String expected() {
    return expected;
  }

  /**
   * @throws IllegalArgumentException with the bad value and the expected form
   */
  public Object parse(String raw) {
    String t = raw.trim();
    try {
      return switch (this) {
        case STRING -> raw;
        case INT -> Long.parseLong(t);
        case NUMBER -> new BigDecimal(t);
        case BOOLEAN -> parseBoolean(t);
        case DATE -> LocalDate.parse(t);
        case DATETIME -> parseDateTime(t);
        case DURATION -> Durations.parse(t);
        case JSON -> JSON_MAPPER.readValue(t, Object.class);
      };
    } catch (NumberFormatException | DateTimeParseException | IllegalStateException e) {
      throw mismatch(raw);
    } catch (IllegalArgumentException e) {
      throw mismatch(raw);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw mismatch(raw);
    }
  }

  /** Converts a YAML value (a default, say) to this type. */
  public Object fromNode(JsonNode node) {
    if (this == JSON) {
      return JSON_MAPPER.convertValue(node, Object.class);
    }
    return parse(node.isTextual() ? node.textValue() : node.toString());
  }

  private IllegalArgumentException mismatch(String raw) {
    return new IllegalArgumentException(
        "'" + raw + "' is not a valid " + yamlName() + "; expected " + expected);
  }

  private static Boolean parseBoolean(String t) {
    return switch (t.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> Boolean.TRUE;
      case "false", "no", "0" -> Boolean.FALSE;
      default -> throw new IllegalStateException(t);
    };
  }

  private static OffsetDateTime parseDateTime(String t) {
    try {
      return OffsetDateTime.parse(t);
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(t).atOffset(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        return Instant.parse(t).atOffset(ZoneOffset.UTC);
      }
    }
  }
}
