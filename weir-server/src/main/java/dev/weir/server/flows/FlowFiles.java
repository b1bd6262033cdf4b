package dev.weir.server.flows;

import dev.weir.WeirException;
import dev.weir.flow.Flow;
import dev.weir.store.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flow files the registry writes: a deployed or rolled back flow's text, and the copies of
 * revisions other nodes of a cluster stored, which only this node may remove again.
 */
final class FlowFiles {
  // logs as the registry it works for
  private static final Logger log = LoggerFactory.getLogger(FlowRegistry.class);

  private final Path deployDir;
  // flow files this node wrote from revisions other nodes stored (see copy)
  private final Set<Path> copies = ConcurrentHashMap.newKeySet();

  FlowFiles(Path deployDir) {
    this.deployDir = deployDir;
  }

  Path deployDir() {
    return deployDir;
  }

  /** Where a flow deployed over the API is written when it has no file yet. */
  Path deployFile(Flow flow) {
    return deployDir
        .resolve(flow.namespace())
        .resolve(flow.id() + ".yaml")
        .toAbsolutePath()
        .normalize();
  }

  /**
   * Where a revision another node stored goes on this node when the flow has no file here: the file
   * it came from when nodes share one flows directory, else one in the deploy directory.
   */
  Path followFile(FlowKey key, StateStore.Revision revision) {
    Path dir = deployDir.toAbsolutePath().normalize();
    Path saved =
        revision.file() == null ? null : Path.of(revision.file()).toAbsolutePath().normalize();
    return saved != null && saved.startsWith(dir) && holds(saved, revision.text())
        ? saved
        : dir.resolve(key.namespace()).resolve(key.id() + ".yaml");
  }

  /** Writes another node's revision to {@code file} unless it holds that text already. */
  void copy(Path file, String text) {
    if (!holds(file, text)) {
      write(file, text);
      copies.add(file);
    }
  }

  /**
   * Another node removed the flow: its file here goes too if it is a copy this node wrote itself,
   * never a file of a directory someone keeps.
   */
  void removeCopy(FlowKey key, Path file) {
    if (copies.remove(file)) {
      log.info("flow {} removed on another node; its copy {} goes too", key, file);
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        log.warn("cannot remove {}: {}", file, e.getMessage());
      }
    } else {
      log.info("flow {} removed on another node", key);
    }
  }

  private static boolean holds(Path file, String text) {
    try {
      return Files.isRegularFile(file)
          && Files.readString(file, StandardCharsets.UTF_8).equals(text);
    } catch (IOException e) {
      return false;
    }
  }

  /** Writes a flow file whole (a temporary file moved in place). */
  static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new WeirException("cannot write flow file " + file + ": " + e.getMessage(), e);
    }
  }
}
