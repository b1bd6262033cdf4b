package dev.weir.server.triggers;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Where a file trigger looks: the local disk or S3. */
interface FileSource extends AutoCloseable {
  /** The files the trigger's glob matches now, without those in its {@code moveTo} folder. */
  List<FoundFile> list() throws IOException;

  /** The file at {@code path} now, if it exists. */
  Optional<FoundFile> stat(String path) throws IOException;

  /**
   * Moves a file into the trigger's {@code moveTo} folder under its own name, or {@code
   * <name>.<suffix>.<ext>} when that name is taken; returns where it went.
   */
  String move(FoundFile file, String suffix) throws IOException;

  void delete(FoundFile file) throws IOException;

  @Override
  default void close() {}

  /** {@code orders.csv} with suffix {@code x} is {@code orders.x.csv}. */
  static String suffixed(String name, String suffix) {
    int dot = name.lastIndexOf('.');
    return dot <= 0
        ? name + "." + suffix
        : name.substring(0, dot) + "." + suffix + name.substring(dot);
  }
}
