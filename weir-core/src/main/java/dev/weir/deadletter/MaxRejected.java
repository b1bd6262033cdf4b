package dev.weir.deadletter;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many records a task may set aside before it fails: a count ({@code 100}) or a share of the
 * records it handled ({@code 5%}). More than this fails the task.
 */
public record MaxRejected(double value, boolean percent) {
  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(%?)");

  /** None may be set aside: the default, so a dead-letter store never swallows bad data unseen. */
  public static final MaxRejected NONE = new MaxRejected(0, false);

  /**
   * @throws IllegalArgumentException naming the bad value and the accepted forms
   */
  public static MaxRejected parse(String text) {
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
              + "' is neither a record count nor a percentage of records; use e.g. `maxRejected:"
              + " 100` or `maxRejected: 5%`");
    }
    return new MaxRejected(Double.parseDouble(m.group(1)), percent);
  }

  public boolean exceededBy(long rejected, long handled) {
    if (!percent) {
      return rejected > value;
    }
    return handled > 0 && rejected * 100.0 / handled > value;
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
