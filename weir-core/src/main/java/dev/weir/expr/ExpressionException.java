package dev.weir.expr;

import dev.weir.WeirException;

/**
 * An expression that cannot be parsed or evaluated; the message is ready for a person.
 *
 * <p>The message is {@code problem + hint}: the problem says what is wrong ("'inputs' has no
 * 'dya'"), the hint how to fix it ("; did you mean 'day'? (known: day)"), so that callers can put
 * the template in between.
 */
public final class ExpressionException extends WeirException {
  private final Kind kind;
  private final String problem;
  private final String hint;

  public ExpressionException(Kind kind, String message, Throwable cause) {
    this(kind, message, "", cause);
  }

  public ExpressionException(Kind kind, String problem, String hint, Throwable cause) {
    super(problem + (hint == null ? "" : hint), cause);
    this.kind = kind;
    this.problem = problem;
    this.hint = hint == null ? "" : hint;
  }

  public Kind kind() {
    return kind;
  }

  /** What is wrong, without the hint. */
  public String problem() {
    return problem;
  }

  /** How to fix it, starting with "; " or " (", or empty. */
  public String hint() {
    return hint;
  }

  /** What went wrong, so validation can tell sure errors from ones that need run-time values. */
  public enum Kind {
    SYNTAX,
    UNKNOWN_NAME,
    EVALUATION,
    /** The render passed a {@link RenderLimits limit}: permanent, the same input does it again. */
    LIMIT
  }
}
