package dev.weir.expr;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Replaces secret values with {@code ******} wherever text is printed or stored. */
public final class Masker {
  public static final String MASK = "******";
  private static final int MIN_LENGTH = 3; // masking "a" would garble every line

  private final List<String> values = new CopyOnWriteArrayList<>();

  public void register(String secret) {
    if (secret == null || secret.length() < MIN_LENGTH || values.contains(secret)) {
      return;
    }
    values.add(secret);
    // longest first so a secret that contains another is masked whole
    values.sort(Comparator.comparingInt(String::length).reversed());
    String trimmed = secret.strip();
    if (!trimmed.equals(secret)) {
      register(trimmed);
    }
  }

  public String mask(String text) {
    if (text == null || values.isEmpty()) {
      return text;
    }
    String out = text;
    for (String v : values) {
      if (out.contains(v)) {
        out = out.replace(v, MASK);
      }
    }
    return out;
  }
}
