package dev.weir.flow.trigger;

/**
 * What a file trigger does with a file once the run it started SUCCEEDED; after a failure the file
 * stays where it is (and does not fire again).
 */
public enum OnProcessed {
  /** Leave it; the server remembers it was seen and does not fire for it again. */
  KEEP,
  /** Move it into {@code moveTo}. */
  MOVE,
  /** Delete it. */
  DELETE
}
