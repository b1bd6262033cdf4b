package dev.weir.server.triggers;

import dev.weir.config.ProjectConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The weir.yaml nearest a flow's directory, as its modification time and size: compared every
 * trigger tick, so that the file is parsed again only when it changed.
 *
 * @param file null when there is none
 */
record ProjectFileStamp(Path file, long modifiedMillis, long size) {
  static ProjectFileStamp of(Path dir) {
    for (Path d = dir.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
      Path f = d.resolve(ProjectConfig.FILE_NAME);
      if (Files.isRegularFile(f)) {
        try {
          return new ProjectFileStamp(f, Files.getLastModifiedTime(f).toMillis(), Files.size(f));
        } catch (IOException e) {
          return new ProjectFileStamp(f, -1, -1); // changing under us: read it again next tick
        }
      }
    }
    return new ProjectFileStamp(null, 0, 0);
  }
}
