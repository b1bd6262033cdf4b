package dev.weir.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.WeirException;
import dev.weir.flow.Durations;
import dev.weir.task.Dataset;
import dev.weir.task.DatasetRows;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A forEach's items and their keys, worked out when the group starts: from {@code items} (a list,
 * or one expression giving a list), {@code dates: {from, to, step}}, or the rows of an upstream
 * task's dataset ({@code rows:}).
 */
final class ForEachItems {
  /** More items than this is a mistake (a listing of a whole bucket); the group fails. */
  static final int MAX_ITEMS = 100_000;

  /** Rows of a dataset read as items: a small dataset, as the docs say. */
  static final int MAX_ROWS = 10_000;

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:=@+-]{0,63}");

  record Items(List<Object> values, List<String> keys) {}

  private ForEachItems() {}

  /**
   * @param evaluate the value of a template for the group's own expressions
   * @param render a template rendered with the group's variables plus {@code extra} (an item's)
   * @throws WeirException saying what is wrong, for the group's error
   */
  static Items of(
      JsonNode props,
      Function<String, Object> evaluate,
      java.util.function.BiFunction<String, Map<String, Object>, String> render,
      Function<String, Dataset> dataset) {
    List<Object> values;
    if (props.hasNonNull("items")) {
      values = items(props.get("items"), evaluate);
    } else if (props.hasNonNull("dates")) {
      values = dates(props.get("dates"), t -> render.apply(t, Map.of()));
    } else if (props.hasNonNull("rows")) {
      values = rows(render.apply(props.get("rows").asText(), Map.of()).strip(), dataset);
    } else {
      throw new WeirException("a forEach needs items, dates or rows");
    }
    if (values.size() > MAX_ITEMS) {
      throw new WeirException(
          "forEach has "
              + values.size()
              + " items, more than the "
              + MAX_ITEMS
              + " a group may have; split the work (a forEach of forEach) or filter the list");
    }
    JsonNode key = props.get("key");
    List<String> keys =
        key == null || key.isNull()
            ? defaultKeys(values)
            : renderedKeys(key.asText(), values, render);
    return new Items(values, keys);
  }

  private static List<Object> items(JsonNode node, Function<String, Object> evaluate) {
    if (node.isArray()) {
      var out = new ArrayList<Object>(node.size());
      for (JsonNode e : node) {
        out.add(
            e.isTextual()
                ? evaluate.apply(e.textValue())
                : DatasetCodec.JSON.convertValue(e, Object.class));
      }
      return out;
    }
    if (!node.isTextual()) {
      throw new WeirException("items must be a list or an expression giving one, got " + node);
    }
    Object v = evaluate.apply(node.textValue());
    if (v instanceof Collection<?> c) {
      return new ArrayList<>(c);
    }
    if (v instanceof Object[] a) {
      return new ArrayList<>(List.of(a));
    }
    if (v instanceof String s && s.strip().startsWith("[")) {
      try {
        return new ArrayList<>(DatasetCodec.JSON.readValue(s, List.class));
      } catch (Exception e) {
        throw new WeirException("items rendered text that is not a JSON list: " + shorten(s));
      }
    }
    throw new WeirException(
        "items "
            + node.textValue().strip()
            + " gave "
            + (v == null ? "null" : v.getClass().getSimpleName() + " " + shorten(String.valueOf(v)))
            + ", not a list; give a list, e.g. \"{{ outputs.list.files }}\"");
  }

  private static List<Object> dates(JsonNode node, Function<String, String> render) {
    String from = render.apply(node.path("from").asText()).strip();
    String to = render.apply(node.path("to").asText()).strip();
    String stepText =
        node.hasNonNull("step") ? render.apply(node.get("step").asText()).strip() : "1d";
    Duration step = Durations.parse(stepText);
    if (!step.isPositive()) {
      throw new WeirException("dates.step must be positive, got " + stepText);
    }
    var out = new ArrayList<Object>();
    boolean days = step.toSeconds() % 86_400 == 0 && step.toNanosPart() == 0;
    if (days && isDate(from) && isDate(to)) {
      long n = step.toDays();
      LocalDate end = LocalDate.parse(to);
      for (LocalDate d = LocalDate.parse(from); !d.isAfter(end); d = d.plusDays(n)) {
        out.add(d.toString());
        guard(out.size());
      }
      return out;
    }
    Instant end = instant(to, "to");
    for (Instant t = instant(from, "from"); !t.isAfter(end); t = t.plus(step)) {
      out.add(t.toString());
      guard(out.size());
    }
    return out;
  }

  private static void guard(int size) {
    if (size > MAX_ITEMS) {
      throw new WeirException(
          "dates make more than " + MAX_ITEMS + " items; use a longer step or a shorter range");
    }
  }

  private static boolean isDate(String s) {
    try {
      LocalDate.parse(s);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static Instant instant(String s, String which) {
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        try {
          return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e3) {
          throw new WeirException(
              "dates."
                  + which
                  + " '"
                  + s
                  + "' is not a date (2026-01-31) or a timestamp"
                  + " (2026-01-31T00:00:00Z)");
        }
      }
    }
  }

  private static List<Object> rows(String taskId, Function<String, Dataset> dataset) {
    Dataset d = dataset.apply(taskId);
    if (d.rowCount() > MAX_ROWS) {
      throw new WeirException(
          "rows: the dataset of task '"
              + taskId
              + "' has "
              + d.rowCount()
              + " rows; a forEach reads at most "
              + MAX_ROWS
              + " (aggregate it first, e.g. SELECT DISTINCT day)");
    }
    return new ArrayList<>(DatasetRows.load().read(d, MAX_ROWS));
  }

  private static List<String> defaultKeys(List<Object> values) {
    var keys = new ArrayList<String>(values.size());
    var seen = new HashSet<String>();
    for (Object v : values) {
      String k =
          v instanceof String || v instanceof Number || v instanceof Boolean
              ? String.valueOf(v)
              : null;
      if (k == null || !KEY.matcher(k).matches() || !seen.add(k)) {
        keys.clear();
        for (int i = 0; i < values.size(); i++) {
          keys.add(String.valueOf(i));
        }
        return keys; // one key that cannot name a task run: every item is named by its index
      }
      keys.add(k);
    }
    return keys;
  }

  private static List<String> renderedKeys(
      String template,
      List<Object> values,
      java.util.function.BiFunction<String, Map<String, Object>, String> render) {
    var keys = new ArrayList<String>(values.size());
    var first = new HashMap<String, Integer>();
    for (int i = 0; i < values.size(); i++) {
      String k = render.apply(template, Map.of("item", values.get(i), "itemIndex", i)).strip();
      if (!KEY.matcher(k).matches()) {
        throw new WeirException(
            "key "
                + template.strip()
                + " gave '"
                + shorten(k)
                + "' for item "
                + i
                + "; a key names task runs (group[key]/task): 1 to 64 letters, digits and"
                + " _ . : = @ + -, starting with a letter, digit or _");
      }
      Integer dup = first.putIfAbsent(k, i);
      if (dup != null) {
        throw new WeirException(
            "key "
                + template.strip()
                + " gave '"
                + k
                + "' for items "
                + dup
                + " and "
                + i
                + "; keys must be unique, e.g. add {{ itemIndex }}");
      }
      keys.add(k);
    }
    return keys;
  }

  private static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
