package dev.weir.tasks.file;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many rows a read may reject before it fails: a count ({@code 10}) or a share ({@code 5%}).
 */
record RejectLimit(double value, boolean percent) {
  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(%?)");
  static final RejectLimit NONE = new RejectLimit(0, false);

  /**
   * @throws IllegalArgumentException naming the bad value and the accepted forms
   */
  static RejectLimit parse(String text) {
    if (text == null || text.isBlank()) {
      return NONE;
    }
    Matcher m = FORM.matcher(text.strip());
    boolean percent = m.matches() && !m.group(2).isEmpty();
    if (!m.matches()
        || (!percent && m.group(1).contains("."))
        || (percent && Double.parseDouble(m.group(1)) > 100)) {
      throw new IllegalArgumentException(
          "maxRejected '"
              + text
              + "' is neither a row count nor a percentage of rows; use e.g. `maxRejected: 10`"
              + " or `maxRejected: 5%`");
    }
    return new RejectLimit(Double.parseDouble(m.group(1)), percent);
  }

  boolean exceededBy(long rejected, long total) {
    if (!percent) {
      return rejected > value;
    }
    return total > 0 && rejected * 100.0 / total > value;
  }

  @Override
  public String toString() {
    if (percent) {
      return (value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value))
          + "%";
    }
    return String.valueOf((long) value);
  }
}
