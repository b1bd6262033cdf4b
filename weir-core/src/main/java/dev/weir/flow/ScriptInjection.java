package dev.weir.flow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.task.TaskRegistry;
import dev.weir.task.TaskType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Warns where a script puts untrusted values in as text: {@code command: echo "{{ trigger.body.name
 * }}"} runs whatever {@code $(…)} a webhook caller sends, as GitHub Actions' {@code run: ${{
 * github.event… }}} did. Untrusted is what a caller, a run's inputs or a task's data decide: {@code
 * trigger}, {@code inputs}, {@code outputs}, {@code failedTask} (errors quote data), variables
 * built from them, and names a {@code set} or {@code for} tag binds from them. {@code | shellQuote}
 * as the last filter makes a value safe. This reads the template's text, not its meaning: it is a
 * warning, never an error.
 */
final class ScriptInjection {
  private static final List<String> UNTRUSTED =
      List.of("trigger", "inputs", "outputs", "failedTask");
  private static final Pattern TAG =
      Pattern.compile("\\{\\{-?\\s*(.*?)\\s*-?}}|\\{%-?\\s*(.*?)\\s*-?%}", Pattern.DOTALL);
  private static final Pattern SET = Pattern.compile("set\\s+(\\w+)\\s*=(.*)", Pattern.DOTALL);
  private static final Pattern FOR =
      Pattern.compile("for\\s+(\\w+)(?:\\s*,\\s*(\\w+))?\\s+in\\s+(.*)", Pattern.DOTALL);
  private static final Pattern QUOTED = Pattern.compile("\\|\\s*shellQuote\\s*$");
  private static final Pattern NAME_PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

  private final TaskRegistry registry;
  private final YamlTree tree;

  ScriptInjection(TaskRegistry registry, YamlTree tree) {
    this.registry = registry;
    this.tree = tree;
  }

  List<Problem> warnings(Flow flow) {
    Set<String> untrusted = new LinkedHashSet<>(UNTRUSTED);
    for (Map.Entry<String, JsonNode> v : flow.variables().entrySet()) {
      if (mentions(v.getValue().toString(), untrusted)) {
        untrusted.add("vars." + v.getKey());
      }
    }
    var out = new ArrayList<Problem>();
    for (TaskDef t : flow.everyTask()) {
      TaskType<?> type = registry.get(t.type());
      if (type == null) {
        continue;
      }
      for (String property : type.shellScriptProperties()) {
        JsonNode script = t.properties().get(property);
        if (script != null && script.isTextual()) {
          String path = t.path() + "." + property;
          for (String expr : inlined(script.textValue(), untrusted)) {
            out.add(tree.problem(path, "warning: " + message(expr)));
          }
          for (String expr : quotedInDoubleQuotes(script.textValue())) {
            out.add(tree.problem(path, "warning: " + doubleQuotedMessage(expr)));
          }
        }
      }
    }
    return out;
  }

  /** The {@code {{ … }}} expressions of {@code script} that put an untrusted value in as text. */
  static List<String> inlined(String script, Set<String> untrustedNames) {
    Set<String> untrusted = new LinkedHashSet<>(untrustedNames);
    Set<String> found = new LinkedHashSet<>();
    Matcher m = TAG.matcher(script);
    while (m.find()) {
      String print = m.group(1);
      if (print != null) {
        if (mentions(print, untrusted) && !QUOTED.matcher(print).find()) {
          found.add(print);
        }
        continue;
      }
      String tag = m.group(2);
      Matcher set = SET.matcher(tag);
      Matcher loop = FOR.matcher(tag);
      if (set.matches() && mentions(set.group(2), untrusted)) {
        untrusted.add(set.group(1));
      } else if (loop.matches() && mentions(loop.group(3), untrusted)) {
        untrusted.add(loop.group(1));
        if (loop.group(2) != null) {
          untrusted.add(loop.group(2));
        }
      }
    }
    return List.copyOf(found);
  }

  /**
   * The {@code {{ … | shellQuote }}} expressions written inside {@code "…"}, where bash reads the
   * single quotes as plain characters and still runs {@code $(…)}: an odd number of unescaped
   * double quotes before it on its line.
   */
  static List<String> quotedInDoubleQuotes(String script) {
    Set<String> found = new LinkedHashSet<>();
    Matcher m = TAG.matcher(script);
    while (m.find()) {
      String print = m.group(1);
      if (print == null || !QUOTED.matcher(print).find()) {
        continue;
      }
      int lineStart = script.lastIndexOf('\n', m.start()) + 1;
      String before = script.substring(lineStart, m.start());
      long quotes = 0;
      for (int i = 0; i < before.length(); i++) {
        if (before.charAt(i) == '"' && (i == 0 || before.charAt(i - 1) != '\\')) {
          quotes++;
        }
      }
      if (quotes % 2 == 1) {
        found.add(print);
      }
    }
    return List.copyOf(found);
  }

  static String doubleQuotedMessage(String expr) {
    return "`{{ "
        + expr
        + " }}` is inside double quotes, where its single quotes are plain characters and a"
        + " value holding `$(…)` still runs. Write it without the double quotes around it, or"
        + " pass the value through env:";
  }

  private static boolean mentions(String expr, Set<String> names) {
    for (String name : names) {
      if (Pattern.compile("(?<![\\w.])" + Pattern.quote(name) + "(?![\\w])").matcher(expr).find()) {
        return true;
      }
    }
    return false;
  }

  static String message(String expr) {
    String env = envName(expr);
    return "`{{ "
        + expr
        + " }}` is put into a shell script as text; a value holding `$(…)` would run as a"
        + " command. Pass it as an environment variable: env: {"
        + env
        + ": \"{{ "
        + expr
        + " }}\"} and use \"$"
        + env
        + "\" in the script, or write {{ "
        + expr
        + " | shellQuote }}";
  }

  /** {@code trigger.body.name} → NAME, {@code trigger.headers['x-source']} → X_SOURCE. */
  static String envName(String expr) {
    String value = expr.split("\\|", 2)[0];
    String last = null;
    Matcher m = NAME_PART.matcher(value);
    while (m.find()) {
      last = m.group();
    }
    if (last == null) {
      return "VALUE";
    }
    return last.toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
