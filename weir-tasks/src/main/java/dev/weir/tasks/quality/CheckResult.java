package dev.weir.tasks.quality;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one check.
 *
 * @param kind the check kind, e.g. {@code unique}
 * @param failingRows rows that break the check (0 for checks that judge the whole dataset)
 * @param observed the measured value where there is one (row count, age in seconds), else null
 * @param detail what was found, in words
 * @param examples up to 5 failing rows
 */
record CheckResult(
    String name,
    String kind,
    boolean passed,
    long failingRows,
    Double observed,
    String detail,
    List<Map<String, Object>> examples,
    Severity severity) {

  String severityName() {
    return severity.name().toLowerCase(Locale.ROOT);
  }

  Map<String, Object> toOutput() {
    var m = new LinkedHashMap<String, Object>();
    m.put("name", name);
    m.put("kind", kind);
    m.put("passed", passed);
    m.put("failingRows", failingRows);
    if (observed != null) {
      m.put("observed", observed);
    }
    m.put("detail", detail);
    m.put("examples", examples);
    m.put("severity", severityName());
    return m;
  }
}
