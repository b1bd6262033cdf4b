package dev.weir.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A benchmark's {@code --name=value} arguments; a name it does not know is refused. */
final class BenchOptions {
  private final Map<String, String> values;

  private BenchOptions(Map<String, String> values) {
    this.values = values;
  }

  static BenchOptions parse(String[] args, String... known) {
    var values = new HashMap<String, String>();
    for (String a : args) {
      String[] kv = a.replaceFirst("^--", "").split("=", 2);
      if (kv.length != 2 || !List.of(known).contains(kv[0])) {
        throw new IllegalArgumentException(
            "unknown option " + a + " (known: --" + String.join(" --", known) + ")");
      }
      values.put(kv[0], kv[1]);
    }
    return new BenchOptions(values);
  }

  int number(String name, int otherwise) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : otherwise;
  }

  String text(String name, String otherwise) {
    return values.getOrDefault(name, otherwise);
  }

  /** {@code --dir}, else the temporary directory. */
  Path dir() {
    return Path.of(text("dir", System.getProperty("java.io.tmpdir")));
  }
}
