package dev.weir.lineage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends each event as one line of JSON (JSON Lines) to a file, creating it and its folder. Events
 * are buffered and written whenever the emitter has no more waiting, and at close.
 */
final class FileTransport implements LineageTransport {
  private final Path file;
  private java.io.OutputStream out; // open from the first event until close

  FileTransport(Path file) {
    this.file = file.toAbsolutePath();
  }

  @Override
  public synchronized void send(byte[] buf, int off, int len) throws IOException {
    if (out == null) {
      Path parent = file.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      out =
          new java.io.BufferedOutputStream(
              Files.newOutputStream(
                  file,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.APPEND,
                  StandardOpenOption.WRITE),
              1 << 16);
    }
    out.write(buf, off, len);
    out.write('\n');
  }

  /** Writes the buffered events; the emitter calls it whenever its queue runs dry. */
  @Override
  public synchronized void flush() throws IOException {
    if (out != null) {
      out.flush();
    }
  }

  @Override
  public synchronized void close() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        // the emitter logged what it could not write
      }
      out = null;
    }
  }

  @Override
  public String toString() {
    return "file " + file;
  }
}
