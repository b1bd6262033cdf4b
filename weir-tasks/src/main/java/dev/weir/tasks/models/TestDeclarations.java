package dev.weir.tasks.models;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.flow.YamlTree;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code tests:} (or {@code data_tests:}) of a model, a source table and their columns
 * into {@link GenericTest}s: {@code - not_null}, {@code - accepted_values: {values: […], quote:
 * false}}, {@code - relationships: {to: ref('customers'), field: id}}, each with an optional {@code
 * config: {severity: warn}}.
 */
final class TestDeclarations {
  private final YamlTree yaml;
  private final List<GenericTest> into;

  TestDeclarations(YamlTree yaml, List<GenericTest> into) {
    this.yaml = yaml;
    this.into = into;
  }

  /** The tests of {@code node} (a model or source table) and of its columns. */
  void read(JsonNode node, String path, String model, String source) {
    tests(node, path, model, source, null);
    SchemaFile.each(
        node.path("columns"),
        path + ".columns",
        (c, cp) -> {
          String column =
              SchemaFile.required(
                  yaml, c, cp, "name", "a column needs a name, e.g. - name: order_id");
          tests(c, cp, model, source, column);
        });
  }

  private void tests(JsonNode node, String path, String model, String source, String column) {
    for (String key : List.of("tests", "data_tests")) {
      SchemaFile.each(
          node.path(key),
          path + "." + key,
          (t, tp) -> into.add(test(t, tp, model, source, column)));
    }
  }

  private GenericTest test(JsonNode t, String path, String model, String source, String column) {
    String name;
    JsonNode body;
    if (t.isTextual()) {
      name = t.asText();
      body = null;
    } else if (t.isObject() && t.size() == 1) {
      name = t.fieldNames().next();
      body = t.get(name);
    } else {
      throw new ModelsException(
          yaml.location(path),
          path
              + ": a test is a name (- not_null) or one key with its arguments"
              + " (- accepted_values: {values: [a, b]})");
    }
    GenericTest.Kind kind = GenericTest.Kind.of(name);
    if (kind == null) {
      throw new ModelsException(
          yaml.location(path),
          path
              + ": generic test '"
              + name
              + "' is not supported (supported: "
              + String.join(", ", GenericTest.Kind.names())
              + "); write it as a singular test, a query in tests/ that returns the failing rows");
    }
    Map<String, Object> args = new LinkedHashMap<>();
    String severity = "error";
    String col = column;
    if (body != null && body.isObject()) {
      JsonNode arguments = body.has("arguments") ? body.get("arguments") : body;
      arguments
          .fields()
          .forEachRemaining(e -> {
            if (!List.of("config", "severity", "name", "arguments").contains(e.getKey())) {
              args.put(e.getKey(), JsonValues.plain(e.getValue()));
            }
          });
      severity = body.path("config").path("severity").asText(body.path("severity").asText("error"));
    }
    if (args.get("column_name") instanceof String c) {
      col = c;
      args.remove("column_name");
    }
    if (col == null) {
      throw new ModelsException(
          yaml.location(path),
          path
              + ": "
              + name
              + " tests a column; put it under the column's tests, or give"
              + " column_name: the_column");
    }
    requireArgs(kind, args, path);
    GenericTest.Severity sev =
        switch (severity.toLowerCase(java.util.Locale.ROOT)) {
          case "warn" -> GenericTest.Severity.WARN;
          case "error" -> GenericTest.Severity.ERROR;
          default ->
              throw new ModelsException(
                  yaml.location(path),
                  path
                      + ": severity '"
                      + severity
                      + "' is not warn or error, e.g. config: {severity: warn}");
        };
    String target = model != null ? model : source.replace('.', '_');
    String dbtName = GenericTest.dbtName(kind, target, model == null, col, args);
    return new GenericTest(dbtName, kind, model, source, col, args, sev, yaml.location(path));
  }

  private void requireArgs(GenericTest.Kind kind, Map<String, Object> args, String path) {
    String missing =
        switch (kind) {
          case ACCEPTED_VALUES ->
              args.get("values") instanceof List<?>
                  ? null
                  : "values (a list), e.g. accepted_values: {values: [placed, shipped]}";
          case RELATIONSHIPS ->
              args.get("to") == null || args.get("field") == null
                  ? "to and field, e.g. relationships: {to: ref('customers'), field: customer_id}"
                  : null;
          default -> null;
        };
    if (missing != null) {
      throw new ModelsException(
          yaml.location(path), path + ": " + kind.dbtName() + " needs " + missing);
    }
  }
}
