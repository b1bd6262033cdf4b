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
