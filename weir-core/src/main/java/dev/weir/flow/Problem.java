package dev.weir.flow;

/** One validation error: where, which YAML path, and a message that names the fix. */
public record Problem(Location location, String path, String message)
    implements Comparable<Problem> {
  /** The message for a required property that is missing, with an example that works. */
  public static String missing(String key, String owner, String example) {
    return "missing required property '"
        + key
        + "' for "
        + owner
        + "; add it, e.g. `"
        + key
        + ": "
        + example
        + "`";
  }

  @Override
  public String toString() {
    return path == null || path.isEmpty()
        ? location + " " + message
        : location + " " + path + ": " + message;
  }

  @Override
  public int compareTo(Problem o) {
    int c = Integer.compare(location.line(), o.location.line());
    return c != 0 ? c : Integer.compare(location.column(), o.location.column());
  }
}
