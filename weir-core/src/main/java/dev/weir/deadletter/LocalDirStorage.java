package dev.weir.deadletter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Dead letters in a local directory: one JSON-lines file per attempt, {@code
 * <dir>/<run>/<task>-<attempt>.jsonl}, written beside as {@code .part} and moved over the old one
 * on commit, so a retried attempt rewrites its own file and a reader never sees half of one.
 */
public final class LocalDirStorage implements DeadLetterStorage {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public boolean accepts(DeadLetterSpec spec) {
    return spec.path() != null && !spec.path().contains("://");
  }

  @Override
  public boolean reads(String location) {
    return !location.contains("://") && location.endsWith(".jsonl");
  }

  @Override
  public Batch open(DeadLetterSpec spec, Origin origin, Environment env) throws Exception {
    Path dir = env.workDir().resolve(spec.path()).toAbsolutePath().normalize();
    Path file = dir.resolve(origin.fileName());
    Files.createDirectories(file.getParent());
    Path part = file.resolveSibling(file.getFileName() + ".part");
    BufferedWriter out = Files.newBufferedWriter(part, StandardCharsets.UTF_8);
    return new Batch() {
      long count;

      @Override
      public void add(ObjectNode letter) throws Exception {
        out.write(JSON.writeValueAsString(letter));
        out.write('\n');
        count++;
      }

      @Override
      public String location() {
        return file.toString();
      }

      @Override
      public void commit() throws Exception {
        out.close();
        if (count == 0) {
          Files.deleteIfExists(part);
          Files.deleteIfExists(file);
        } else {
          // on disk before the move, and the move itself, before anyone acts on the letters (a
          // queue message is acknowledged right after): a machine crash keeps one or the other
          try (var ch = java.nio.channels.FileChannel.open(part, StandardOpenOption.WRITE)) {
            ch.force(true);
          }
          Files.move(
              part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          forceDirectory(file.getParent());
        }
      }

      @Override
      public void close() throws Exception {
        out.close();
        Files.deleteIfExists(part);
      }
    };
  }

  // a directory's entry is durable once the directory is forced; not every platform opens one
  private static void forceDirectory(Path dir) {
    try (var ch = java.nio.channels.FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (java.io.IOException e) {
      // Windows cannot open a directory: its moves are as durable as the platform makes them
    }
  }

  @Override
  public List<ObjectNode> read(String location, int limit, Environment env) throws Exception {
    var out = new ArrayList<ObjectNode>();
    try (BufferedReader in = Files.newBufferedReader(Path.of(location), StandardCharsets.UTF_8)) {
      String line;
      while (out.size() < limit && (line = in.readLine()) != null) {
        if (!line.isBlank()) {
          out.add((ObjectNode) JSON.readTree(line));
        }
      }
    }
    return out;
  }
}
