package dev.weir.deadletter;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** The storages on the class path: the local directory, and those weir-tasks registers. */
public final class DeadLetterStorages {
  private DeadLetterStorages() {}

  static List<DeadLetterStorage> all() {
    var out = new ArrayList<DeadLetterStorage>();
    ServiceLoader.load(DeadLetterStorage.class, DeadLetterStorages.class.getClassLoader())
        .forEach(out::add);
    out.add(new LocalDirStorage());
    return out;
  }

  /**
   * @throws IllegalArgumentException when none takes it (e.g. an s3:// path without weir-tasks)
   */
  public static DeadLetterStorage forSpec(DeadLetterSpec spec) {
    for (DeadLetterStorage s : all()) {
      if (s.accepts(spec)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "no dead-letter storage takes "
            + (spec.table() != null ? "table '" + spec.table() + "'" : "path '" + spec.path() + "'")
            + "; use a local directory (`deadLetter: dead/`), an S3 prefix (`path: s3://bucket/dead/`"
            + " with `connection:`) or a table (`table: dead_letters` with `connection:`)");
  }

  /** The storage that wrote {@code location}. */
  public static DeadLetterStorage forLocation(String location) {
    for (DeadLetterStorage s : all()) {
      if (s.reads(location)) {
        return s;
      }
    }
    throw new IllegalArgumentException("no dead-letter storage reads '" + location + "'");
  }
}
