package dev.weir.tasks.s3;

import dev.weir.expr.Expressions;
import java.util.List;

/** Validation shared by the S3 task types; templated values are checked when they are rendered. */
final class S3Checks {
  private S3Checks() {}

  /** Adds a problem to {@code problems} unless {@code value} is an S3 address or a template. */
  static S3Path address(String property, String value, List<String> problems) {
    if (value == null || Expressions.isTemplate(value)) {
      return null;
    }
    try {
      return S3Path.parse(value);
    } catch (IllegalArgumentException e) {
      problems.add(property + ": " + e.getMessage());
      return null;
    }
  }

  static void local(String property, String value, String example, List<String> problems) {
    if (S3Path.isS3(value)) {
      problems.add(
          property
              + " '"
              + value
              + "' is an S3 address, but "
              + property
              + " is a local path here; write e.g. `"
              + property
              + ": "
              + example
              + "`");
    }
  }

  /** The address of a rendered value, failing the task (permanently) when it is not one. */
  static S3Path parse(String task, String property, String value) {
    try {
      return S3Path.parse(value);
    } catch (IllegalArgumentException e) {
      throw dev.weir.task.TaskFailedException.permanent(
          task + " " + property + ": " + e.getMessage());
    }
  }
}
