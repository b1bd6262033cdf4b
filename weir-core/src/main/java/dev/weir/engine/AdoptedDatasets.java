package dev.weir.engine;

import dev.weir.WeirException;
import dev.weir.store.TaskRunRecord;
import dev.weir.task.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Gives a run its own copy of the datasets it takes over from an earlier run ({@code weir run
 * --task/--from}): hard links where the file system allows, copies otherwise. A run's staging
 * directory then holds everything it read, so the staging retention can delete the earlier run's
 * directory without breaking this run, a retry of it, or a later {@code --from} that reuses it.
 */
final class AdoptedDatasets {
  private AdoptedDatasets() {}

  /** {@code row} with its dataset under {@code <stagingRoot>/<runId>/<task>/attempt-1/}. */
  static TaskRunRecord adopt(Path stagingRoot, TaskRunRecord row) {
    Dataset d = DatasetCodec.decode(row.dataset());
    if (d == null) {
      return row;
    }
    Path dir = stagingRoot.resolve(row.runId()).resolve(row.taskId()).resolve("attempt-1");
    Path target = dir.resolve(d.path().getFileName());
    try {
      Files.createDirectories(dir);
      link(d.path(), target);
    } catch (IOException e) {
      throw new WeirException(
          "cannot take over the dataset of "
              + row.taskId()
              + " from "
              + d.path()
              + ": "
              + e.getMessage()
              + "; run the flow once without --task/--from",
          e);
    }
    Dataset moved = new Dataset(d.taskId(), target, d.schema(), d.rowCount(), d.checksum());
    return row.withDataset(DatasetCodec.encode(moved));
  }

  private static void link(Path from, Path to) throws IOException {
    if (Files.isDirectory(from)) {
      Files.createDirectories(to);
      try (Stream<Path> files = Files.list(from)) {
        for (Path f : files.toList()) {
          link(f, to.resolve(f.getFileName()));
        }
      }
      return;
    }
    try {
      Files.createLink(to, from);
    } catch (IOException | UnsupportedOperationException e) {
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
