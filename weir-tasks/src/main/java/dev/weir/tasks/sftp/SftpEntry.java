package dev.weir.tasks.sftp;

import java.time.Instant;

/** One remote file found by a listing; {@code path} as the server spells it. */
public record SftpEntry(String path, long size, Instant lastModified) {
  public String fileName() {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
