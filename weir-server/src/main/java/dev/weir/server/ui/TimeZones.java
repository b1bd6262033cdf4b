package dev.weir.server.ui;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The time zones a form offers: every IANA zone the JDK knows, by name, UTC first. The JDK's legacy
 * {@code SystemV/…} ids are left out (they are not IANA zones).
 */
final class TimeZones {
  private static final List<String> ALL = load();

  private TimeZones() {}

  static List<String> all() {
    return ALL;
  }

  private static List<String> load() {
    var ids = new ArrayList<String>();
    for (String id : ZoneId.getAvailableZoneIds()) {
      if (!id.equals("UTC") && !id.startsWith("SystemV/")) {
        ids.add(id);
      }
    }
    ids.sort(null);
    ids.add(0, "UTC");
    return List.copyOf(ids);
  }
}
