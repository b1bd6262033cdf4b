package dev.weir.lineage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.UUID;

/**
 * A growable buffer of UTF-8 JSON text, for writing events without building strings or trees:
 * constant pieces are copied as bytes, values are quoted straight into the buffer. Not thread-safe;
 * the lineage worker owns one.
 */
final class JsonBytes {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  // escapes are written as Jackson writes them: \u001F
  private static final byte[] UPPER_HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
  // years 0000 to 9999: outside them Instant.toString adds a sign or more digits
  private static final long FIRST_SECOND = -62_167_219_200L;
  private static final long LAST_SECOND = 253_402_300_799L;

  private byte[] buf;
  private int len;
  // the date part ("2026-11-21T") of the last day written: most events of a run share it
  private long lastDay = Long.MIN_VALUE;
  private final byte[] dayText = new byte[11];

  JsonBytes(int capacity) {
    buf = new byte[capacity];
  }

  static byte[] ascii(String constant) {
    return constant.getBytes(StandardCharsets.UTF_8);
  }

  int length() {
    return len;
  }

  /** The buffer itself: its first {@link #length()} bytes are the text (valid until it grows). */
  byte[] buffer() {
    return buf;
  }

  void reset() {
    len = 0;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  @Override
  public String toString() {
    return new String(buf, 0, len, StandardCharsets.UTF_8);
  }

  private void room(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }

  JsonBytes raw(byte[] bytes) {
    room(bytes.length);
    System.arraycopy(bytes, 0, buf, len, bytes.length);
    len += bytes.length;
    return this;
  }

  JsonBytes raw(char ascii) {
    room(1);
    buf[len++] = (byte) ascii;
    return this;
  }

  JsonBytes number(long n) {
    if (n < 0 || n >= 1_000_000_000_000_000_000L) {
      return raw(ascii(Long.toString(n)));
    }
    int width = 1;
    for (long v = n / 10; v > 0; v /= 10) {
      width++;
    }
    room(width);
    for (int i = width - 1; i >= 0; i--) {
      buf[len + i] = (byte) ('0' + n % 10);
      n /= 10;
    }
    len += width;
    return this;
  }

  /** A string's UTF-8 bytes as they are: no quotes, no escapes (for keys that are hashed). */
  JsonBytes plain(String s) {
    int n = s.length();
    room(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        // not ASCII: the JDK encodes the whole string, over what was copied
        return raw(s.getBytes(StandardCharsets.UTF_8));
      }
      buf[len + i] = (byte) c;
    }
    len += n;
    return this;
  }

  /** A JSON string: quotes, escapes and UTF-8. */
  JsonBytes quoted(String s) {
    raw('"');
    escaped(s);
    return raw('"');
  }

  /** The inside of a JSON string (no quotes), escaped and UTF-8 encoded. */
  JsonBytes escaped(String s) {
    int n = s.length();
    room(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        if (len == buf.length) {
          room(n - i);
        }
        buf[len++] = (byte) c;
      } else if (c < 0x80) {
        escape(c);
      } else {
        i = utf8(s, i);
      }
    }
    return this;
  }

  private void escape(char c) {
    room(6);
    buf[len++] = '\\';
    switch (c) {
      case '"' -> buf[len++] = '"';
      case '\\' -> buf[len++] = '\\';
      case '\n' -> buf[len++] = 'n';
      case '\r' -> buf[len++] = 'r';
      case '\t' -> buf[len++] = 't';
      case '\b' -> buf[len++] = 'b';
      case '\f' -> buf[len++] = 'f';
      default -> {
        buf[len++] = 'u';
        buf[len++] = '0';
        buf[len++] = '0';
        buf[len++] = UPPER_HEX[(c >> 4) & 0xf];
        buf[len++] = UPPER_HEX[c & 0xf];
      }
    }
  }

  // writes the code point at i as UTF-8 and returns the index of its last char
  private int utf8(String s, int i) {
    room(4);
    int cp = s.codePointAt(i);
    if (Character.isSurrogate(s.charAt(i)) && cp == s.charAt(i)) {
      buf[len++] = '?'; // a lone surrogate, as String.getBytes writes it
      return i;
    }
    if (cp < 0x800) {
      buf[len++] = (byte) (0xc0 | (cp >> 6));
    } else if (cp < 0x10000) {
      buf[len++] = (byte) (0xe0 | (cp >> 12));
      buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
    } else {
      buf[len++] = (byte) (0xf0 | (cp >> 18));
      buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
      buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
    }
    buf[len++] = (byte) (0x80 | (cp & 0x3f));
    return i + Character.charCount(cp) - 1;
  }

  /** A UUID in its usual text form, without quotes. */
  JsonBytes uuid(UUID id) {
    room(36);
    long msb = id.getMostSignificantBits();
    long lsb = id.getLeastSignificantBits();
    hex(msb >>> 32, 8);
    buf[len++] = '-';
    hex(msb >>> 16, 4);
    buf[len++] = '-';
    hex(msb, 4);
    buf[len++] = '-';
    hex(lsb >>> 48, 4);
    buf[len++] = '-';
    hex(lsb, 12);
    return this;
  }

  /** 16 bytes (an MD5, say) in a UUID's text form, without quotes. */
  JsonBytes uuid(byte[] id) {
    room(36);
    for (int i = 0; i < 16; i++) {
      if (i == 4 || i == 6 || i == 8 || i == 10) {
        buf[len++] = '-';
      }
      buf[len++] = HEX[(id[i] >> 4) & 0xf];
      buf[len++] = HEX[id[i] & 0xf];
    }
    return this;
  }

  private void hex(long v, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      buf[len + i] = HEX[(int) (v & 0xf)];
      v >>>= 4;
    }
    len += digits;
  }

  /** An instant as {@link Instant#toString} writes it, without quotes. */
  JsonBytes instant(Instant t) {
    long sec = t.getEpochSecond();
    if (sec < FIRST_SECOND || sec > LAST_SECOND) {
      return raw(ascii(t.toString()));
    }
    long day = Math.floorDiv(sec, 86_400);
    if (day != lastDay) {
      LocalDate d = LocalDate.ofEpochDay(day);
      digits(dayText, 0, d.getYear(), 4);
      dayText[4] = '-';
      digits(dayText, 5, d.getMonthValue(), 2);
      dayText[7] = '-';
      digits(dayText, 8, d.getDayOfMonth(), 2);
      dayText[10] = 'T';
      lastDay = day;
    }
    raw(dayText);
    room(20);
    int s = (int) Math.floorMod(sec, 86_400);
    digits(buf, len, s / 3600, 2);
    buf[len + 2] = ':';
    digits(buf, len + 3, s / 60 % 60, 2);
    buf[len + 5] = ':';
    digits(buf, len + 6, s % 60, 2);
    len += 8;
    int nano = t.getNano();
    if (nano != 0) {
      buf[len++] = '.';
      if (nano % 1_000_000 == 0) {
        digits(buf, len, nano / 1_000_000, 3);
        len += 3;
      } else if (nano % 1000 == 0) {
        digits(buf, len, nano / 1000, 6);
        len += 6;
      } else {
        digits(buf, len, nano, 9);
        len += 9;
      }
    }
    buf[len++] = 'Z';
    return this;
  }

  private static void digits(byte[] to, int at, int value, int width) {
    for (int i = width - 1; i >= 0; i--) {
      to[at + i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }
}
