package dev.weir.tasks.models;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * Infers a seed column's SQL type as dbt's agate does: the narrowest of boolean, integer, bigint,
 * decimal, date, timestamp that every non-empty value parses as; text otherwise (also when every
 * cell is empty). Decimals get the precision and scale their values need.
 */
final class SeedTypes {
  private SeedTypes() {}

  static String infer(List<String> values) {
    List<String> present = values.stream().filter(v -> v != null && !v.isEmpty()).toList();
    if (present.isEmpty()) {
      return "text";
    }
    if (present.stream().allMatch(SeedTypes::isBoolean)) {
      return "boolean";
    }
    if (present.stream().allMatch(v -> fits(v, Integer.MIN_VALUE, Integer.MAX_VALUE))) {
      return "integer";
    }
    if (present.stream().allMatch(v -> fits(v, Long.MIN_VALUE, Long.MAX_VALUE))) {
      return "bigint";
    }
    if (present.stream().allMatch(SeedTypes::isDecimal)) {
      int scale = 0;
      int digits = 1;
      for (String v : present) {
        BigDecimal d = new BigDecimal(v.strip());
        scale = Math.max(scale, Math.max(0, d.scale()));
        digits = Math.max(digits, d.precision() - d.scale());
      }
      return "decimal(" + Math.min(38, digits + scale) + "," + scale + ")";
    }
    if (present.stream().allMatch(SeedTypes::isDate)) {
      return "date";
    }
    if (present.stream().allMatch(SeedTypes::isTimestamp)) {
      return "timestamp";
    }
    return "text";
  }

  private static boolean isBoolean(String v) {
    String s = v.strip().toLowerCase(Locale.ROOT);
    return s.equals("true") || s.equals("false");
  }

  private static boolean fits(String v, long min, long max) {
    if (!v.strip().matches("[-+]?\\d{1,19}")) {
      return false;
    }
    try {
      long n = Long.parseLong(v.strip());
      return n >= min && n <= max;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean isDecimal(String v) {
    return v.strip().matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)");
  }

  private static boolean isDate(String v) {
    try {
      LocalDate.parse(v.strip());
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static boolean isTimestamp(String v) {
    try {
      LocalDateTime.parse(v.strip().replace(' ', 'T'));
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
