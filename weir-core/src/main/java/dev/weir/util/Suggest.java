package dev.weir.util;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** "Did you mean" help: the known names closest to a misspelt one. */
public final class Suggest {
  private Suggest() {}

  public static List<String> closest(String wrong, Collection<String> known, int max) {
    return known.stream()
        .map(k -> new Object[] {k, distance(wrong.toLowerCase(), k.toLowerCase())})
        .filter(a -> (int) a[1] <= Math.max(2, wrong.length() / 2))
        .sorted(
            Comparator.comparingInt((Object[] a) -> (int) a[1]).thenComparing(a -> (String) a[0]))
        .limit(max)
        .map(a -> (String) a[0])
        .toList();
  }

  /** ", did you mean 'x'?" or the empty string. */
  public static String didYouMean(String wrong, Collection<String> known) {
    List<String> c = closest(wrong, known, 3);
    if (c.isEmpty()) {
      return "";
    }
    return "; did you mean "
        + String.join(" or ", c.stream().map(s -> "'" + s + "'").toList())
        + "?";
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
