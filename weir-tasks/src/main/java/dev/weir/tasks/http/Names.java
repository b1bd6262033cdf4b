package dev.weir.tasks.http;

import dev.weir.util.Suggest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Enum values of nested settings read from YAML. Jackson's own error for a bad one inside a mapping
 * only describes the mapping; this names the value, the choices and the closest match.
 */
final class Names {
  private Names() {}

  static <E extends Enum<E>> E parse(Class<E> type, String value, String key, String example) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value)) {
        return e;
      }
    }
    List<String> known =
        Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    throw new IllegalArgumentException(
        key
            + " '"
            + value
            + "' is not one of "
            + String.join(", ", known)
            + ", e.g. `"
            + example
            + "`"
            + Suggest.didYouMean(String.valueOf(value), known));
  }
}
