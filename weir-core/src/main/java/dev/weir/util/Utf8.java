package dev.weir.util;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;

/**
 * Where bytes stop being UTF-8 text, so that a message can point at the byte ("byte 0xE9 at offset
 * 17, line 2") instead of repeating the JDK's "Input length = 1".
 */
public final class Utf8 {
  private Utf8() {}

  /**
   * The first byte that does not start a well-formed UTF-8 sequence (a stray continuation byte, or
   * a lead byte whose sequence is cut short or malformed, as Latin-1's é is).
   *
   * @param value the byte, 0–255
   * @param offset its position in the file, counting from 0
   * @param line its line, counting from 1
   */
  public record Invalid(int value, long offset, long line) {
    /** {@code byte 0xE9 at offset 1234, line 7}. */
    public String describe() {
      return String.format(Locale.ROOT, "byte 0x%02X", value)
          + " at offset "
          + offset
          + ", line "
          + line;
    }
  }

  public static Optional<Invalid> firstInvalid(byte[] bytes) {
    try {
      return firstInvalid(new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new IllegalStateException("reading a byte array cannot fail", e);
    }
  }

  /** Reads {@code in} to its end or to the first invalid byte; the caller closes it. */
  public static Optional<Invalid> firstInvalid(InputStream in) throws IOException {
    InputStream buffered =
        in instanceof BufferedInputStream || in instanceof ByteArrayInputStream
            ? in
            : new BufferedInputStream(in);
    long offset = 0;
    long line = 1;
    int b;
    while ((b = buffered.read()) >= 0) {
      if (b < 0x80) {
        if (b == '\n') {
          line++;
        }
        offset++;
        continue;
      }
      int more;
      int min = 0x80;
      int max = 0xBF;
      if (b >= 0xC2 && b <= 0xDF) {
        more = 1;
      } else if (b >= 0xE0 && b <= 0xEF) {
        more = 2;
        min = b == 0xE0 ? 0xA0 : 0x80; // no overlong forms
        max = b == 0xED ? 0x9F : 0xBF; // no UTF-16 surrogates
      } else if (b >= 0xF0 && b <= 0xF4) {
        more = 3;
        min = b == 0xF0 ? 0x90 : 0x80;
        max = b == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
      } else {
        return Optional.of(new Invalid(b, offset, line));
      }
      for (int i = 0; i < more; i++) {
        int c = buffered.read();
        boolean ok = i == 0 ? c >= min && c <= max : c >= 0x80 && c <= 0xBF;
        if (!ok) {
          return Optional.of(new Invalid(b, offset, line));
        }
      }
      offset += 1 + more;
    }
    return Optional.empty();
  }
}
