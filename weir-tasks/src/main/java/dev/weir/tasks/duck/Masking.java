package dev.weir.tasks.duck;

import static dev.weir.tasks.duck.Sql.id;
import static dev.weir.tasks.duck.Sql.str;

import dev.weir.task.Dataset;
import dev.weir.task.TaskFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Column masking for PII: {@code hash} (SHA-256 of a secret salt and the value, stable across runs
 * so joins and keys still work), {@code redact} (the value becomes {@code ***}, or null for
 * non-text columns) and {@code drop} (the column is left out).
 */
public final class Masking {
  /** What happens to one column. */
  public enum Rule {
    HASH,
    REDACT,
    DROP
  }

  private Masking() {}

  /** Problems with a task's {@code mask} and {@code maskSalt}, for validation. */
  public static List<String> validate(Map<String, Rule> mask, String salt) {
    var problems = new ArrayList<String>();
    if (mask == null) {
      if (salt != null) {
        problems.add(
            "maskSalt is only used with mask; remove it or add e.g. `mask: {email: hash}`");
      }
      return problems;
    }
    mask.forEach((column, rule) -> {
      if (rule == null) {
        problems.add(
            "mask." + column + " needs a rule: hash, redact or drop, e.g. `" + column + ": hash`");
      }
    });
    if (mask.containsValue(Rule.HASH) && (salt == null || salt.isBlank())) {
      problems.add(
          "mask with hash needs maskSalt, a secret that keeps hashes from being reversed by"
              + " guessing, e.g. `maskSalt: \"{{ secret('PII_SALT') }}\"`");
    }
    return problems;
  }

  /**
   * The hash {@link #select} gives {@code value} with {@code salt}, computed in Java: SHA-256 (hex)
   * of the salt, {@code |} and {@link #text} of the value; null for null. Change data capture masks
   * with it, so a value hashed by either path is the same.
   */
  public static String hash(String salt, Object value) {
    if (value == null) {
      return null;
    }
    try {
      var d = java.security.MessageDigest.getInstance("SHA-256");
      d.update((salt == null ? "" : salt).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      d.update((byte) '|');
      d.update(text(value).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A JDBC value as DuckDB's {@code CAST(x AS VARCHAR)} writes it (with the session's time zone
   * UTC): timestamps {@code 2026-03-04 05:06:07.12} (the fraction without trailing zeros), with a
   * time zone in UTC and {@code +00}; decimals as their digits with their scale; doubles as
   * DuckDB's shortest form ({@code 1.5}, {@code 100.0}, {@code 1e+20}); bytes as text with {@code
   * \xHH} for bytes other than printable ASCII.
   */
  public static String text(Object v) {
    return switch (v) {
      case String s -> s;
      case byte[] b -> blob(b);
      case java.time.LocalDateTime t -> t.toLocalDate() + " " + time(t.toLocalTime());
      case java.time.OffsetDateTime t -> {
        var utc = t.withOffsetSameInstant(java.time.ZoneOffset.UTC);
        yield utc.toLocalDate() + " " + time(utc.toLocalTime()) + "+00";
      }
      case java.time.Instant i -> text(i.atOffset(java.time.ZoneOffset.UTC));
      case java.time.LocalTime t -> time(t);
      case java.math.BigDecimal d -> d.toPlainString();
      case Double d -> floating(d, Double.toString(d));
      case Float f -> floating(f, Float.toString(f));
      default -> String.valueOf(v);
    };
  }

  private static String time(java.time.LocalTime t) {
    String s =
        String.format(Locale.ROOT, "%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
    if (t.getNano() == 0) {
      return s;
    }
    String nanos = String.format(Locale.ROOT, "%09d", t.getNano()).replaceAll("0+$", "");
    return s + "." + nanos;
  }

  private static String blob(byte[] bytes) {
    var sb = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append(String.format(Locale.ROOT, "\\x%02X", c));
      }
    }
    return sb.toString();
  }

  // Java's toString is the shortest form that reads back, as DuckDB's; only the notation differs
  private static String floating(double d, String shortest) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (d == 0) {
      return 1 / d < 0 ? "-0.0" : "0.0";
    }
    var b = new java.math.BigDecimal(shortest).stripTrailingZeros();
    double a = Math.abs(d);
    if (a >= 1e-4 && a < 1e16) {
      String plain = b.toPlainString();
      return plain.contains(".") ? plain : plain + ".0";
    }
    String digits = b.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - b.scale();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return (d < 0 ? "-" : "")
        + mantissa
        + "e"
        + (exp < 0 ? "-" : "+")
        + (Math.abs(exp) < 10 ? "0" : "")
        + Math.abs(exp);
  }

  /** A SELECT over {@code relation} (whose columns are {@code columns}) with the rules applied. */
  public static String select(
      String relation, List<Dataset.Column> columns, Map<String, Rule> mask, String salt) {
    for (String name : mask.keySet()) {
      if (columns.stream().noneMatch(c -> c.name().equals(name))) {
        throw TaskFailedException.permanent(
            "mask names column '"
                + name
                + "', which is not in the data (columns: "
                + String.join(", ", columns.stream().map(Dataset.Column::name).toList())
                + "); fix the name or remove it from mask");
      }
    }
    var exprs = new ArrayList<String>();
    for (Dataset.Column c : columns) {
      Rule rule = mask.get(c.name());
      String col = id(c.name());
      if (rule == null) {
        exprs.add(col);
      } else if (rule == Rule.HASH) {
        exprs.add("sha256(" + str(salt) + " || '|' || CAST(" + col + " AS VARCHAR)) AS " + col);
      } else if (rule == Rule.REDACT) {
        boolean text = c.type().toUpperCase(Locale.ROOT).startsWith("VARCHAR");
        exprs.add(
            (text
                    ? "CASE WHEN " + col + " IS NULL THEN NULL ELSE '***' END"
                    : "CAST(NULL AS " + c.type() + ")")
                + " AS "
                + col);
      }
    }
    if (exprs.isEmpty()) {
      throw TaskFailedException.permanent("mask drops every column; keep at least one column");
    }
    return "SELECT " + String.join(", ", exprs) + " FROM " + relation;
  }
}
