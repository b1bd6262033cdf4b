package dev.weir.tasks.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The query of a generic test: the failing rows, as dbt's test macros define them (a test passes
 * when it returns none). The templates are Jinja (in {@code generic/}), rendered like a model with
 * {@code model}, {@code column_name} and the test's arguments.
 */
final class GenericTestSql {
  private static final Pattern REF =
      Pattern.compile("\\s*ref\\(\\s*['\"]([^'\"]+)['\"]\\s*\\)\\s*");
  private static final Pattern SOURCE =
      Pattern.compile(
          "\\s*source\\(\\s*['\"]([^'\"]+)['\"]\\s*,\\s*['\"]([^'\"]+)['\"]\\s*\\)\\s*");
  private final Map<GenericTest.Kind, String> templates = new HashMap<>();

  String template(GenericTest.Kind kind) {
    return templates.computeIfAbsent(kind, GenericTestSql::read);
  }

  /** The variables of {@code t}'s template; {@code model} and {@code to} already resolved. */
  static Map<String, Object> variables(GenericTest t, Relation model, Relation to) {
    var vars = new HashMap<String, Object>(t.args());
    vars.put("model", model);
    vars.put("column_name", t.column());
    vars.putIfAbsent("quote", true);
    if (to != null) {
      vars.put("to", to);
    }
    return vars;
  }

  /**
   * What a relationships test's {@code to:} names: {@code ["ref", model]} or {@code ["source",
   * source, table]}; null when it is neither.
   */
  static String[] parseTo(String to) {
    Matcher r = REF.matcher(to);
    if (r.matches()) {
      return new String[] {"ref", r.group(1)};
    }
    Matcher s = SOURCE.matcher(to);
    return s.matches() ? new String[] {"source", s.group(1), s.group(2)} : null;
  }

  private static String read(GenericTest.Kind kind) {
    String name = "generic/" + kind.dbtName() + ".sql";
    try (InputStream in = GenericTestSql.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
