package dev.weir.task.plugin;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A place plugin jars are looked for: a directory of jars, or one jar named directly.
 *
 * @param path the directory (or jar)
 * @param origin why it is searched, for listings and errors: "beside /p/weir.yaml"
 */
public record PluginDir(Path path, String origin) {
  public PluginDir {
    path = path.toAbsolutePath().normalize();
  }

  /** Whether there is anything here; an absent directory is normal and costs one look. */
  public boolean exists() {
    return Files.exists(path);
  }

  @Override
  public String toString() {
    return path + " (" + origin + ")";
  }
}
