package dev.weir.task;

import java.util.ArrayList;
import java.util.List;

/**
 * What an attempt moved, for the audit trail and lineage: rows and bytes read and written, rows set
 * aside, a checksum of the data written, and the datasets it read and wrote. A count a task does
 * not know is -1; the engine fills the staged dataset and the datasets the task asked the {@link
 * TaskContext} for when the task does not say.
 *
 * @param checksum digest of the data written (e.g. {@link Dataset#checksum()}), null when none
 */
public record Audit(
    long rowsRead,
    long rowsWritten,
    long rowsRejected,
    long bytesRead,
    long bytesWritten,
    String checksum,
    List<DatasetRef> inputs,
    List<DatasetRef> outputs) {
  public static final Audit NONE = new Audit(-1, -1, -1, -1, -1, null, List.of(), List.of());

  public Audit {
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
  }

  public static Audit of() {
    return NONE;
  }

  public Audit read(long rows) {
    return new Audit(
        rows, rowsWritten, rowsRejected, bytesRead, bytesWritten, checksum, inputs, outputs);
  }

  public Audit written(long rows) {
    return new Audit(
        rowsRead, rows, rowsRejected, bytesRead, bytesWritten, checksum, inputs, outputs);
  }

  public Audit rejected(long rows) {
    return new Audit(
        rowsRead, rowsWritten, rows, bytesRead, bytesWritten, checksum, inputs, outputs);
  }

  public Audit bytesRead(long bytes) {
    return new Audit(
        rowsRead, rowsWritten, rowsRejected, bytes, bytesWritten, checksum, inputs, outputs);
  }

  public Audit bytesWritten(long bytes) {
    return new Audit(
        rowsRead, rowsWritten, rowsRejected, bytesRead, bytes, checksum, inputs, outputs);
  }

  public Audit checksum(String digest) {
    return new Audit(
        rowsRead, rowsWritten, rowsRejected, bytesRead, bytesWritten, digest, inputs, outputs);
  }

  public Audit input(DatasetRef ref) {
    var in = new ArrayList<>(inputs);
    in.add(ref);
    return new Audit(
        rowsRead, rowsWritten, rowsRejected, bytesRead, bytesWritten, checksum, in, outputs);
  }

  public Audit output(DatasetRef ref) {
    var out = new ArrayList<>(outputs);
    out.add(ref);
    return new Audit(
        rowsRead, rowsWritten, rowsRejected, bytesRead, bytesWritten, checksum, inputs, out);
  }
}
