package dev.weir.tasks.wait;

import java.time.Instant;

/**
 * One file a {@code wait.file} check found.
 *
 * @param path an absolute local path, an {@code s3://} or an {@code sftp://} address
 * @param modified its last modification, or null when the store does not say
 */
record Found(String path, long size, Instant modified) {}
