package dev.weir.store;

/**
 * The audit facts of one ended attempt of one task (store schema v6).
 *
 * @param rowsRead rows read, -1 when not known (likewise the other counts)
 * @param checksum digest of the data written, null when none
 * @param inputs JSON list of the datasets read ({@code namespace}, {@code name}, {@code rows},
 *     {@code bytes}); never null
 * @param outputs JSON list of the datasets written
 */
public record TaskAuditRecord(
    String runId,
    String taskId,
    int attempt,
    long rowsRead,
    long rowsWritten,
    long rowsRejected,
    long bytesRead,
    long bytesWritten,
    String checksum,
    String inputs,
    String outputs) {
  public TaskAuditRecord {
    inputs = inputs == null ? "[]" : inputs;
    outputs = outputs == null ? "[]" : outputs;
  }

  /** Nothing known: every count unknown, no checksum, no datasets (a no-op task). */
  public boolean isEmpty() {
    return rowsRead < 0
        && rowsWritten < 0
        && rowsRejected < 0
        && bytesRead < 0
        && bytesWritten < 0
        && checksum == null
        && inputs.equals("[]")
        && outputs.equals("[]");
  }
}
