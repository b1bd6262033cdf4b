package dev.weir.tasks.models;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.MacroFunction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dbt's Jinja, on HubSpot's Jinjava set up to behave as Jinja2 does for SQL templates: {@code {{-
 * -}}} trims, Python-like printing of lists and dicts, iterating a dict gives its keys. Holds the
 * project's macros (from macros/), parsed once. Not thread-safe: one compile at a time.
 */
final class DbtJinja {
  /** dbt packages and namespaces Weir does not provide. */
  private static final Pattern PACKAGE_CALL =
      Pattern.compile(
          "\\b(dbt_utils|dbt_expectations|dbt_date|codegen|audit_helper|fivetran_utils|dbt)\\s*\\.\\s*(\\w+)");

  private static final Pattern JINJA_BLOCK =
      Pattern.compile("\\{\\{.*?}}|\\{%.*?%}", Pattern.DOTALL);

  private final Jinjava jinjava;
  private final Map<String, MacroFunction> macros = new LinkedHashMap<>();
  private final ReturningMacro.Returns returns = new ReturningMacro.Returns();
  private final UndefinedNames undefined;

  DbtJinja(List<MacroFile> files) {
    LegacyOverrides jinja2 =
        LegacyOverrides.newBuilder()
            .withUseTrimmingForNotesAndExpressions(true)
            .withUseNaturalOperatorPrecedence(true)
            .withEvaluateMapKeys(true)
            .withUsePyishObjectMapper(true)
            .withKeepNullableLoopValues(true)
            .withHandleBackslashInQuotesOnly(true)
            .withIterateOverMapKeys(true)
            .withParseWhitespaceControlStrictly(true)
            .build();
    this.jinjava =
        new Jinjava(
            JinjavaConfig.newBuilder()
                .withLegacyOverrides(jinja2)
                .withEnableRecursiveMacroCalls(true)
                .withMaxMacroRecursionDepth(50)
                .withInterperterFactory(StrictInterpreter.FACTORY)
                .build());
    this.undefined = new UndefinedNames(files);
    for (MacroFile f : files) {
      loadMacros(f);
    }
  }

  Map<String, MacroFunction> macros() {
    return macros;
  }

  ReturningMacro.Returns returns() {
    return returns;
  }

  private void loadMacros(MacroFile f) {
    checkSupported(f.path(), f.text());
    JinjavaInterpreter interp = jinjava.newInterpreter();
    JinjavaInterpreter.pushCurrent(interp);
    try {
      interp.render(JinjaComments.strip(f.text()));
      failOnErrors(f.path(), interp.getErrors(), null);
      interp
          .getContext()
          .getGlobalMacros()
          .values()
          .forEach(m -> macros.put(m.getName(), new ReturningMacro(m, returns, f.path())));
    } finally {
      JinjavaInterpreter.popCurrent();
    }
  }

  /**
   * Renders {@code text} (from {@code file}) with {@code globals} as variables and {@code
   * functions} callable; the project's macros are callable too. A failure names the file and line.
   */
  String render(
      String file,
      String text,
      Map<String, Object> globals,
      List<DbtFunction> functions,
      RenderFailure failure) {
    checkSupported(file, text);
    JinjavaInterpreter interp = jinjava.newInterpreter();
    var ctx = interp.getContext();
    macros.values().forEach(ctx::addGlobalMacro);
    functions.forEach(ctx::addGlobalMacro);
    globals.forEach(ctx::put);
    ((StrictInterpreter) interp)
        .onUndefined((name, line) -> {
          if (undefined.isUndefined(name, text)) {
            ReturningMacro.Frame macro = returns.current();
            failure.record(
                new ModelsException(
                    macro == null ? file : macro.file,
                    line,
                    (macro == null
                            ? ""
                            : "in macro " + macro.macro + "(), called from " + file + ": ")
                        + "'"
                        + name
                        + "' is undefined; check the spelling, set it first with {% set "
                        + name
                        + " = … %}, or read a project variable with var('"
                        + name
                        + "')"));
          }
        });
    JinjavaInterpreter.pushCurrent(interp);
    try {
      // Jinja2 reads \r\n as \n, and (keep_trailing_newline=False) drops the last newline
      String source = JinjaComments.strip(text.replace("\r\n", "\n"));
      String out =
          interp.render(source.endsWith("\n") ? source.substring(0, source.length() - 1) : source);
      failure.throwIfSet();
      failOnErrors(file, interp.getErrors(), failure);
      return out;
    } catch (ModelsException e) {
      throw e;
    } catch (RuntimeException e) {
      failure.throwIfSet();
      throw new ModelsException(file, interp.getLineNumber(), "cannot render: " + e.getMessage());
    } finally {
      JinjavaInterpreter.popCurrent();
    }
  }

  private static void failOnErrors(String file, List<TemplateError> errors, RenderFailure failure) {
    var fatal = new ArrayList<TemplateError>();
    for (TemplateError e : errors) {
      if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
        fatal.add(e);
      }
    }
    if (fatal.isEmpty()) {
      return;
    }
    if (failure != null) {
      failure.throwIfSet();
    }
    TemplateError e = fatal.get(0);
    throw new ModelsException(file, Math.max(e.getLineno(), 0), explain(e.getMessage()));
  }

  private static String explain(String message) {
    Matcher fn = Pattern.compile("Could not resolve function '([^']+)'").matcher(message);
    if (fn.find()) {
      return "unknown function or macro '"
          + fn.group(1)
          + "'; define it with {% macro "
          + fn.group(1)
          + "(...) %} in a file under macros/,"
          + " or check the spelling";
    }
    if (message.contains("Unknown tag")) {
      return message
          + "; Weir renders Jinja's own tags (if, for, set, macro, call, do, filter, raw), not"
          + " dbt's materialization, snapshot, test or docs blocks (see docs/models.md)";
    }
    return message;
  }

  /** Fails on what Jinjava would silently render as nothing: a dbt package's macro. */
  static void checkSupported(String file, String text) {
    Matcher block = JINJA_BLOCK.matcher(text);
    while (block.find()) {
      Matcher m = PACKAGE_CALL.matcher(block.group());
      if (m.find()) {
        int line = lineOf(text, block.start() + m.start());
        String what = m.group(1) + "." + m.group(2);
        throw new ModelsException(
            file,
            line,
            what
                + ": "
                + (m.group(1).equals("dbt")
                    ? "dbt's built-in cross-database macros (dbt.*) are not supported yet;"
                        + " write the SQL for your database instead"
                    : "dbt packages ("
                        + m.group(1)
                        + ") are not supported; copy the macro you need"
                        + " into macros/ or write the SQL in the model"));
      }
    }
  }

  static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}
