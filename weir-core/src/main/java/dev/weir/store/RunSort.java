package dev.weir.store;

import java.util.Arrays;
import java.util.Locale;

/**
 * The order of a {@link RunSearch}. Every order ends with the run id, so runs that tie keep one
 * order from page to page.
 *
 * <ul>
 *   <li>{@code created}, {@code started}: by that time; runs not started yet count as started after
 *       every other (first when descending).
 *   <li>{@code duration}: {@code ended - started}; runs that have not ended count as the longest.
 *   <li>{@code flow}: by namespace and flow, then by creation, all in the one direction.
 *   <li>{@code state}: by state name, then by creation, all in the one direction.
 * </ul>
 */
public record RunSort(Key key, boolean descending) {
  /** Newest first: the default of the runs list. */
  public static final RunSort NEWEST = new RunSort(Key.CREATED, true);

  public RunSort {
    if (key == null) {
      throw new IllegalArgumentException("a sort needs a key (one of " + Key.names() + ")");
    }
  }

  /** What runs are ordered by. */
  public enum Key {
    CREATED,
    STARTED,
    DURATION,
    FLOW,
    STATE;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    static String names() {
      return String.join(", ", Arrays.stream(values()).map(Key::label).toList());
    }
  }

  /**
   * The sort named by {@code key} ({@code created} when null) in {@code order} ({@code asc} or
   * {@code desc}, {@code desc} when null).
   *
   * @throws IllegalArgumentException naming the bad value and the known ones
   */
  public static RunSort parse(String key, String order) {
    Key k = Key.CREATED;
    if (key != null) {
      try {
        k = Key.valueOf(key.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown sort '" + key + "' (known: " + Key.names() + ")");
      }
    }
    boolean desc = true;
    if (order != null) {
      desc =
          switch (order.trim().toLowerCase(Locale.ROOT)) {
            case "desc" -> true;
            case "asc" -> false;
            default ->
                throw new IllegalArgumentException(
                    "unknown order '" + order + "' (known: asc, desc)");
          };
    }
    return new RunSort(k, desc);
  }

  @Override
  public String toString() {
    return key.label() + " " + (descending ? "desc" : "asc");
  }
}
