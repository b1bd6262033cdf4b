package dev.weir.tasks.quality;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one check.
 *
 * @param failingRows rows that break the check (0 for rowCount, which judges the whole dataset)
 * @param detail what was found, in words
 * @param examples up to 5 failing rows
 */
record CheckResult(
    String name,
    boolean passed,
    long failingRows,
    String detail,
    List<Map<String, Object>> examples,
    Severity severity) {

  Map<String, Object> toOutput() {
    var m = new LinkedHashMap<String, Object>();
    m.put("name", name);
    m.put("passed", passed);
    m.put("failingRows", failingRows);
    m.put("detail", detail);
    m.put("examples", examples);
    m.put("severity", severity.name().toLowerCase(java.util.Locale.ROOT));
    return m;
  }
}
