package dev.weir.task.plugin;

import java.nio.file.Path;

/**
 * A plugin jar that was not loaded, and why; none of its task types are in the registry.
 *
 * @param reason what is wrong and what would fix it
 */
public record SkippedJar(Path jar, String reason) {
  /** The line the CLI prints on stderr and the server logs as a warning. */
  public String message() {
    return "plugin " + jar + " skipped: " + reason;
  }
}
