package dev.weir.tasks.s3;

import dev.weir.task.TaskFailedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns AWS SDK exceptions into task failures that name the task, the address and the connection,
 * and that say whether trying again may help: network trouble, 5xx and throttling may pass; a
 * missing bucket or key, or refused credentials, will not. An endpoint that cannot be reached (a
 * network error, or a gateway's 502, 503 or 504 other than throttling) is a connection failure.
 */
final class S3Errors {
  private static final Set<String> RETRYABLE_CODES =
      Set.of(
          "SlowDown",
          "Throttling",
          "ThrottlingException",
          "RequestTimeout",
          "RequestTimeTooSkewed",
          "InternalError",
          "ServiceUnavailable");
  static final Set<String> CREDENTIAL_CODES =
      Set.of(
          "InvalidAccessKeyId",
          "SignatureDoesNotMatch",
          "InvalidToken",
          "ExpiredToken",
          "TokenRefreshRequired");

  private S3Errors() {}

  /**
   * @param what the failed action and its address, e.g. {@code "download of s3://lake/a.csv"}
   * @param scrub masks secrets (the connection's keys among them) in any text taken from the SDK
   */
  static TaskFailedException failure(
      String task, String what, String connection, SdkException e, UnaryOperator<String> scrub) {
    return failure(task + ": " + what + " with " + connection + " failed: ", e, scrub);
  }

  /**
   * As above, the message starting with {@code head} ({@code "upload of … failed: "}).
   *
   * @param scrub masks secrets in any text taken from the SDK
   */
  static TaskFailedException failure(String head, SdkException e, UnaryOperator<String> scrub) {
    if (e instanceof S3Exception s3) {
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      int status = s3.statusCode();
      String detail = scrub.apply(describe(s3, code));
      if ("NoSuchBucket".equals(code)) {
        return permanent(head + "the bucket does not exist (NoSuchBucket); check its name", e);
      }
      if ("NoSuchKey".equals(code) || (status == 404 && code == null)) {
        return permanent(
            head
                + "there is no such object (NoSuchKey); check the key, or list what is there"
                + " with an s3.list task",
            e);
      }
      if (code != null && CREDENTIAL_CODES.contains(code)) {
        return permanent(
            head
                + "S3 refused the credentials ("
                + code
                + "); check accessKey and secretKey of the connection in weir.yaml",
            e);
      }
      if (status == 403) {
        return permanent(
            head + "access denied (" + detail + "); check the credentials' permissions", e);
      }
      boolean throttled =
          status == 429 || "SlowDown".equals(code) || code != null && code.startsWith("Throttling");
      if ((status == 502 || status == 503 || status == 504) && !throttled) {
        return TaskFailedException.connection(head + detail, e);
      }
      boolean retryable =
          status >= 500 || status == 429 || (code != null && RETRYABLE_CODES.contains(code));
      return new TaskFailedException(head + detail, retryable, Map.of(), e);
    }
    if (e instanceof AbortedException || hasCause(e, InterruptedIOException.class)) {
      return new TaskFailedException(head + "interrupted", true, Map.of(), e);
    }
    if (hasCause(e, IOException.class)) {
      return TaskFailedException.connection(
          head + "could not reach S3: " + scrub.apply(String.valueOf(e.getMessage())), e);
    }
    return permanent(head + scrub.apply(String.valueOf(e.getMessage())), e);
  }

  private static String describe(S3Exception e, String code) {
    String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    return (code == null ? "HTTP " + e.statusCode() : code + ", HTTP " + e.statusCode())
        + (message == null ? "" : ": " + message);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static TaskFailedException permanent(String message, Throwable cause) {
    return new TaskFailedException(message, false, Map.of(), cause);
  }
}
