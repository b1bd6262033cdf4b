package dev.weir.tasks.sftp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * One file's download through {@code <name>.part}, continued by a later attempt from the part's
 * size as long as the remote file is unchanged: {@code <name>.part.meta} records the size and
 * modification time the part was started against; a changed file starts over.
 */
final class ResumableDownload {
  private final SftpSession session;
  private final SftpEntry remote;
  private final Path target;
  private final Path part;
  private final Path meta;

  ResumableDownload(SftpSession session, SftpEntry remote, Path target) {
    this.session = session;
    this.remote = remote;
    this.target = target.toAbsolutePath();
    this.part = this.target.resolveSibling(this.target.getFileName() + ".part");
    this.meta = this.target.resolveSibling(this.target.getFileName() + ".part.meta");
  }

  /** Returns the bytes fetched now. */
  long run() throws IOException {
    Files.createDirectories(target.getParent());
    String stamp = remote.size() + " " + remote.lastModified().toEpochMilli();
    long from = 0;
    if (Files.isRegularFile(part)
        && Files.isRegularFile(meta)
        && Files.readString(meta).strip().equals(stamp)
        && Files.size(part) <= remote.size()) {
      from = Files.size(part);
      session
          .logger()
          .info("resuming " + remote.path() + " at byte " + from + " of " + remote.size());
    } else {
      Files.deleteIfExists(part);
      Files.writeString(meta, stamp);
    }
    long fetched;
    try (OutputStream out =
        Files.newOutputStream(
            part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      fetched = session.copy(remote.path(), from, remote.size(), out);
    }
    if (Files.size(part) != remote.size()) {
      throw dev.weir.task.TaskFailedException.connection(
          "download of "
              + remote.path()
              + " ended at byte "
              + Files.size(part)
              + " of "
              + remote.size()
              + "; the file may be being written to, a retry continues it",
          null);
    }
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Files.deleteIfExists(meta);
    return fetched;
  }
}
