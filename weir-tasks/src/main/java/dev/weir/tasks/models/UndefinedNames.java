package dev.weir.tasks.models;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides which of the names a render did not find are undefined in dbt's sense. A name looked up
 * and found null may still be defined: set to {@code none}, a macro parameter whose default is
 * {@code none}, or tested with {@code is defined} / {@code | default}. Those are read from the
 * template and the macros' text; any other name is undefined, and the model fails as in dbt.
 */
final class UndefinedNames {
  private static final Set<String> ALWAYS =
      Set.of("none", "None", "null", "caller", "varargs", "kwargs", "loop", "true", "false");
  private static final List<Pattern> DEFINING =
      List.of(
          Pattern.compile("\\{%-?\\s*set\\s+(\\w+)"),
          Pattern.compile("\\{%-?\\s*set\\s+\\w+\\s*,\\s*(\\w+)"),
          Pattern.compile("\\{%-?\\s*for\\s+(\\w+)"),
          Pattern.compile("\\{%-?\\s*for\\s+\\w+\\s*,\\s*(\\w+)"),
          Pattern.compile("\\b(\\w+)\\s+is\\s+(?:not\\s+)?(?:defined|undefined|none|None)\\b"),
          Pattern.compile("\\b(\\w+)\\s*\\|\\s*default\\b"));
  private static final Pattern MACRO = Pattern.compile("\\{%-?\\s*macro\\s+\\w+\\s*\\(([^)]*)\\)");

  private final Set<String> known = new HashSet<>(ALWAYS);

  /** The names {@code macros} define (their parameters, sets, loops, tests), for every render. */
  UndefinedNames(List<MacroFile> macros) {
    macros.forEach(m -> scan(m.text(), known));
  }

  /** Whether {@code name}, not found while rendering {@code template}, is really undefined. */
  boolean isUndefined(String name, String template) {
    if (known.contains(name)) {
      return false;
    }
    Set<String> local = new HashSet<>();
    scan(template, local);
    return !local.contains(name);
  }

  private static void scan(String text, Set<String> into) {
    for (Pattern p : DEFINING) {
      Matcher m = p.matcher(text);
      while (m.find()) {
        into.add(m.group(1));
      }
    }
    Matcher m = MACRO.matcher(text);
    while (m.find()) {
      for (String param : m.group(1).split(",")) {
        String name = param.split("=")[0].strip();
        if (!name.isEmpty()) {
          into.add(name);
        }
      }
    }
  }
}
