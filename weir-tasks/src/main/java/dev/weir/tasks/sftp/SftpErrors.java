package dev.weir.tasks.sftp;

import dev.weir.task.TaskFailedException;
import java.io.IOException;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * Turns SFTP failures into task failures that name the task, the path and the connection, and say
 * whether trying again may help: a missing file or a refused permission will not pass; a dropped
 * connection may, and is a connection failure.
 */
final class SftpErrors {
  private SftpErrors() {}

  static TaskFailedException failure(
      String task, String what, String where, IOException e, UnaryOperator<String> scrub) {
    String head = task + ": " + what + " on " + where + " failed: ";
    if (e instanceof SftpException s) {
      String detail =
          scrub.apply(SftpConstants.getStatusName(s.getStatus()) + " " + s.getMessage());
      return switch (s.getStatus()) {
        case SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH ->
            permanent(
                head
                    + "no such file ("
                    + detail
                    + "); check the path, or list what is there with"
                    + " an sftp.list task",
                e);
        case SftpConstants.SSH_FX_PERMISSION_DENIED ->
            permanent(head + "permission denied (" + detail + "); ask for access to the path", e);
        case SftpConstants.SSH_FX_CONNECTION_LOST, SftpConstants.SSH_FX_NO_CONNECTION ->
            TaskFailedException.connection(head + "the connection was lost (" + detail + ")", e);
        default -> permanent(head + detail, e);
      };
    }
    return TaskFailedException.connection(
        head + "the connection broke (" + scrub.apply(String.valueOf(e.getMessage())) + ")", e);
  }

  private static TaskFailedException permanent(String message, Throwable cause) {
    return new TaskFailedException(message, false, Map.of(), cause);
  }
}
