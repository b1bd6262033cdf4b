package dev.weir.lineage;

import java.util.LinkedHashMap;
import java.util.Map;

/** A small least-recently-used map: the runs whose tasks are being reported. */
final class Lru<K, V> extends LinkedHashMap<K, V> {
  private final int max;

  Lru(int max) {
    super(16, 0.75f, true);
    this.max = max;
  }

  @Override
  protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
    return size() > max;
  }
}
