package dev.weir.cli;

import dev.weir.WeirException;
import dev.weir.store.DeadLetterRecord;
import dev.weir.util.IoErrors;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Why a batch's letters could not be read back, naming the batch, its run and task, where the
 * letters were, what went wrong and what to do: the index in the state store outlives the letters,
 * which live elsewhere (a directory someone cleaned, an S3 endpoint or database that is down).
 */
final class LetterReadFailure {
  private LetterReadFailure() {}

  /** Adds what did not happen because of it, e.g. {@code Nothing was replayed.} */
  static WeirException with(WeirException e, String consequence) {
    return new WeirException(e.getMessage() + " " + consequence, e.getCause());
  }

  /**
   * @param flowDir where the connections come from (the weir.yaml beside the flow)
   */
  static WeirException of(DeadLetterRecord b, Exception e, Path flowDir) {
    String where = b.location();
    var fs = IoErrors.find(e, FileSystemException.class);
    String reason =
        fs.isPresent()
            ? IoErrors.reason(fs.get())
            : EnvironmentFailures.describe(e)
                .orElseGet(() ->
                    e.getClass().getSimpleName()
                        + ": "
                        + Progress.firstLine(String.valueOf(e.getMessage())));
    String fix;
    if (where.startsWith("s3://")) {
      int hash = where.indexOf('#');
      String connection = hash < 0 ? "(none)" : "'" + where.substring(hash + 1) + "'";
      fix =
          "check that the S3 endpoint of connection "
              + connection
              + " is reachable and that the connection is in the weir.yaml beside the flow ("
              + flowDir
              + "), then run this again";
    } else if (where.startsWith("table:")) {
      String connection = where.substring("table:".length(), where.indexOf('/'));
      fix =
          "check that the database of connection '"
              + connection
              + "' is reachable and that the connection is in the weir.yaml beside the flow ("
              + flowDir
              + "), then run this again";
    } else if (IoErrors.find(e, NoSuchFileException.class).isPresent()) {
      fix =
          "the file is gone: was the dead-letter directory moved or deleted? Put the file back at"
              + " that path (the store's index still names it); if the letters are lost, `weir"
              + " deadletters list` still shows what the batch held";
    } else {
      fix = "check that the file can be read, then run this again";
    }
    return new WeirException(
        "cannot read the letters of batch "
            + b.id()
            + " ("
            + (b.runId() == null ? "no run" : "run " + b.runId())
            + ", task "
            + b.taskId()
            + ", attempt "
            + b.attempt()
            + ", "
            + b.letters()
            + " letters) at "
            + where
            + ": "
            + reason
            + (reason.endsWith("?") || reason.endsWith(".") ? " " : ". ")
            + Character.toUpperCase(fix.charAt(0))
            + fix.substring(1)
            + ".",
        e);
  }
}
