package dev.weir.tasks.contract;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.task.Dataset;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.tasks.duck.DuckSession;
import dev.weir.tasks.duck.Sql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A data contract: the columns a source is expected to deliver, with their types and whether they
 * may be null. Checked on the staged dataset, before any task after the extract can load it.
 *
 * <pre>
 * contract:
 *   columns:
 *     order_id: {type: BIGINT, nullable: false}
 *     amount: DECIMAL(10,2)
 *   onDrift: fail            # fail | warn | evolve
 * </pre>
 *
 * @param columns column → type, or {@code {type, nullable}}
 * @param onDrift what a difference does; defaults to fail
 */
public record Contract(LinkedHashMap<String, JsonNode> columns, OnDrift onDrift) {
  /** What drift does to the run. */
  public enum OnDrift {
    /** Any difference fails the task before the data moves on. */
    FAIL,
    /** Differences are logged as warnings; the data moves on. */
    WARN,
    /** New columns are accepted (logged); dropped, renamed, retyped or newly null ones fail. */
    @JsonProperty("evolve")
    EVOLVE
  }

  /** One expected column. */
  record Expected(String name, String type, boolean nullable) {}

  OnDrift mode() {
    return onDrift == null ? OnDrift.FAIL : onDrift;
  }

  /** Problems with the contract as written, for validation. */
  public static List<String> validate(Contract contract) {
    var problems = new ArrayList<String>();
    if (contract == null) {
      return problems;
    }
    if (contract.columns() == null || contract.columns().isEmpty()) {
      problems.add(
          "contract needs columns, e.g. `contract: {columns: {order_id: {type: BIGINT, nullable:"
              + " false}, amount: 'DECIMAL(10,2)'}}`");
      return problems;
    }
    contract
        .columns()
        .forEach((name, spec) -> {
          if (spec == null
              || !(spec.isTextual() || spec.isObject() && spec.path("type").isTextual())) {
            problems.add(
                "contract column '"
                    + name
                    + "' needs a type: `"
                    + name
                    + ": BIGINT` or `"
                    + name
                    + ": {type: BIGINT, nullable: false}`");
          } else if (spec.isObject()) {
            spec.fieldNames()
                .forEachRemaining(k -> {
                  if (!k.equals("type") && !k.equals("nullable")) {
                    problems.add(
                        "contract column '"
                            + name
                            + "' has unknown property '"
                            + k
                            + "' (known: type, nullable)");
                  }
                });
          }
        });
    return problems;
  }

  List<Expected> expected() {
    var out = new ArrayList<Expected>();
    columns.forEach((name, spec) -> {
      if (spec.isTextual()) {
        out.add(new Expected(name, spec.asText(), true));
      } else {
        out.add(
            new Expected(name, spec.path("type").asText(), spec.path("nullable").asBoolean(true)));
      }
    });
    return out;
  }

  /**
   * Compares the dataset with the contract; fails, warns or accepts as {@code onDrift} says.
   *
   * @return every difference found, for the task's outputs (empty when none)
   */
  public List<String> check(Dataset dataset, TaskContext context) throws SQLException {
    List<String> breaking = new ArrayList<>();
    List<String> additive = new ArrayList<>();
    Map<String, Dataset.Column> actual = new LinkedHashMap<>();
    dataset.schema().forEach(c -> actual.put(c.name().toLowerCase(Locale.ROOT), c));
    List<Expected> expected = expected();
    List<Dataset.Column> added =
        dataset.schema().stream()
            .filter(c -> expected.stream().noneMatch(e -> e.name().equalsIgnoreCase(c.name())))
            .toList();
    var notNull = new ArrayList<Expected>();
    var renames = new ArrayList<Dataset.Column>();
    for (Expected e : expected) {
      Dataset.Column a = actual.get(e.name().toLowerCase(Locale.ROOT));
      if (a == null) {
        Optional<Dataset.Column> renamed =
            added.stream()
                .filter(c -> !renames.contains(c) && sameType(c.type(), e.type()))
                .findFirst();
        renamed.ifPresent(renames::add);
        breaking.add(
            "column '"
                + e.name()
                + "' "
                + e.type()
                + " is missing"
                + renamed.map(r -> " (renamed to '" + r.name() + "'?)").orElse(""));
      } else if (!sameType(a.type(), e.type())) {
        breaking.add(
            "column '"
                + e.name()
                + "' changed type: "
                + e.type()
                + " expected, "
                + a.type()
                + " found");
      } else if (!e.nullable()) {
        notNull.add(e);
      }
    }
    if (!notNull.isEmpty()) {
      try (DuckSession duck = DuckSession.memory(context)) {
        for (Expected e : notNull) {
          long nulls =
              duck.queryLong(
                  "SELECT count(*) FROM "
                      + Sql.readParquet(dataset.path())
                      + " WHERE "
                      + Sql.id(actual.get(e.name().toLowerCase(Locale.ROOT)).name())
                      + " IS NULL");
          if (nulls > 0) {
            breaking.add(
                "column '"
                    + e.name()
                    + "' holds "
                    + nulls
                    + (nulls == 1 ? " null" : " nulls")
                    + ", but the contract says nullable: false");
          }
        }
      }
    }
    for (Dataset.Column c : added) {
      if (renames.contains(c)) {
        continue; // reported with the column it probably replaced
      }
      additive.add("column '" + c.name() + "' " + c.type() + " is new");
    }
    var all = new ArrayList<String>(breaking);
    all.addAll(additive);
    if (all.isEmpty()) {
      return all;
    }
    OnDrift mode = mode();
    boolean fails = mode == OnDrift.FAIL || (mode == OnDrift.EVOLVE && !breaking.isEmpty());
    String list =
        "\n  - " + String.join("\n  - ", fails && mode == OnDrift.EVOLVE ? breaking : all);
    String what = "dataset '" + dataset.taskId() + "' differs from its contract";
    if (fails) {
      throw TaskFailedException.permanent(
          what
              + " (onDrift: "
              + mode.name().toLowerCase(Locale.ROOT)
              + "); nothing was passed on:"
              + list
              + "\nUpdate the contract to the new shape, fix the source, or set `onDrift: warn`"
              + (breaking.isEmpty() ? " or `onDrift: evolve`" : "")
              + " to let the data through.");
    }
    if (mode == OnDrift.WARN) {
      context.logger().warn(what + ":" + list);
    } else {
      context.logger().info(what + ", accepted by onDrift: evolve:" + list);
    }
    return all;
  }

  /** Types compared without case, spacing or the common aliases. */
  static boolean sameType(String a, String b) {
    return normal(a).equals(normal(b));
  }

  private static String normal(String type) {
    String t =
        type.toUpperCase(Locale.ROOT)
            .replaceAll("\\s+", " ")
            .replace(" ,", ",")
            .replace(", ", ",")
            .strip();
    return switch (t) {
      case "INT", "INT4", "INTEGER" -> "INTEGER";
      case "INT8", "LONG", "BIGINT" -> "BIGINT";
      case "TEXT", "STRING", "VARCHAR" -> "VARCHAR";
      case "BOOL", "BOOLEAN" -> "BOOLEAN";
      case "FLOAT8", "DOUBLE", "DOUBLE PRECISION" -> "DOUBLE";
      case "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE" -> "TIMESTAMP WITH TIME ZONE";
      default -> t.replace("NUMERIC", "DECIMAL");
    };
  }
}
