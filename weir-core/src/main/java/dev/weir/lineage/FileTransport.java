package dev.weir.lineage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends each event as one line of JSON (JSON Lines) to a file, creating it and its folder. */
final class FileTransport implements LineageTransport {
  private final Path file;

  FileTransport(Path file) {
    this.file = file.toAbsolutePath();
  }

  @Override
  public synchronized void send(String event) throws IOException {
    Path parent = file.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(
        file,
        event + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND,
        StandardOpenOption.WRITE);
  }

  @Override
  public String toString() {
    return "file " + file;
  }
}
