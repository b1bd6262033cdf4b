package dev.weir.tasks.sftp;

import dev.weir.expr.Expressions;
import dev.weir.task.TaskFailedException;
import java.util.List;

/** Validation shared by the SFTP task types; templated values are checked once rendered. */
final class SftpChecks {
  private SftpChecks() {}

  static void remote(String property, String value, String connection, List<String> problems) {
    if (value == null || Expressions.isTemplate(value)) {
      return;
    }
    try {
      SftpPath p = SftpPath.parse(value);
      if (p.authority() == null && connection == null) {
        problems.add(
            property
                + " '"
                + value
                + "' names no server; set `connection:` to an sftp connection of weir.yaml, or"
                + " write sftp://<connection>"
                + (value.startsWith("/") ? "" : "/")
                + value);
      }
    } catch (IllegalArgumentException e) {
      problems.add(property + ": " + e.getMessage());
    }
  }

  static void local(String property, String value, String example, List<String> problems) {
    if (SftpPath.isSftp(value)) {
      problems.add(
          property
              + " '"
              + value
              + "' is an SFTP address, but "
              + property
              + " is a local path here; write e.g. `"
              + property
              + ": "
              + example
              + "`");
    }
  }

  static SftpPath parse(String task, String property, String value) {
    try {
      return SftpPath.parse(value);
    } catch (IllegalArgumentException e) {
      throw TaskFailedException.permanent(task + " " + property + ": " + e.getMessage());
    }
  }
}
