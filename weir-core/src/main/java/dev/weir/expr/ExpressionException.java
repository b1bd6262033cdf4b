package dev.weir.expr;

import dev.weir.WeirException;

/** An expression that cannot be parsed or evaluated; the message is ready for a person. */
public final class ExpressionException extends WeirException {
  private final Kind kind;

  public ExpressionException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** What went wrong, so validation can tell sure errors from ones that need run-time values. */
  public enum Kind {
    SYNTAX,
    UNKNOWN_NAME,
    EVALUATION
  }
}
