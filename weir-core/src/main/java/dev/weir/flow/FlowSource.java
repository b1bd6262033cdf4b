package dev.weir.flow;

/**
 * Where a flow came from and its exact text; the hash identifies a revision.
 *
 * @param file the path as given (used in error messages), or a label like {@code <api>}
 */
public record FlowSource(String file, String text, String hash) {
  public static FlowSource of(String file, String text) {
    return new FlowSource(file, text, dev.weir.util.Hashes.sha256(text).substring(0, 16));
  }
}
