package dev.weir.tasks.cdc;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A binary primary-key value ({@code bytea}, {@code varbinary}) that compares by content: a {@code
 * byte[]} compares by identity, so two changes of one binary key would be two keys to {@link
 * BatchApplier#collapse}. Bound to statements as its bytes ({@link #unwrap}).
 */
record KeyBytes(byte[] bytes) {
  KeyBytes {
    bytes = bytes.clone();
  }

  /** {@code v} as a key value: byte arrays wrapped, anything else as it is. */
  static Object of(Object v) {
    return v instanceof byte[] b ? new KeyBytes(b) : v;
  }

  /** The value to bind for key value {@code v}. */
  static Object unwrap(Object v) {
    return v instanceof KeyBytes k ? k.bytes.clone() : v;
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyBytes k && Arrays.equals(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "\\x" + HexFormat.of().formatHex(bytes);
  }
}
