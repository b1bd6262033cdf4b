package dev.weir.deadletter;

/** The message of a task that set aside more records than {@code maxRejected} allows. */
final class TooManyRejected {
  private TooManyRejected() {}

  static String message(
      Origin origin,
      long rejected,
      long all,
      MaxRejected limit,
      String location,
      String firstReason) {
    return "task "
        + origin.taskId()
        + " set aside "
        + rejected
        + " of "
        + all
        + " records ("
        + percent(rejected, all)
        + "), more than maxRejected "
        + limit
        + "; see "
        + location
        + " (first: "
        + firstReason
        + "). Nothing of this attempt was kept: fix the data and "
        + (origin.runId() == null ? "run the flow again" : "`weir retry " + origin.runId() + "`")
        + ", or raise deadLetter.maxRejected (these would pass with `maxRejected: "
        + rejected
        + "` or `maxRejected: "
        + (long) Math.ceil(all == 0 ? 100 : rejected * 100.0 / all)
        + "%`)";
  }

  static String percent(long part, long whole) {
    if (whole == 0) {
      return "100%";
    }
    double p = part * 100.0 / whole;
    return (p >= 10 || p == Math.rint(p)
            ? String.valueOf(Math.round(p))
            : String.format(java.util.Locale.ROOT, "%.1f", p))
        + "%";
  }
}
