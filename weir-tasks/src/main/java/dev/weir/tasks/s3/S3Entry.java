package dev.weir.tasks.s3;

import java.time.Instant;

/** One object found by a listing. */
public record S3Entry(String bucket, String key, long size, Instant lastModified) {
  public S3Path path() {
    return new S3Path(bucket, key);
  }
}
