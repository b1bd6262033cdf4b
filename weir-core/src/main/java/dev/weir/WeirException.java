package dev.weir;

/** The one unchecked exception root of Weir. Messages name the bad value, the rule and a fix. */
public class WeirException extends RuntimeException {
  public WeirException(String message) {
    super(message);
  }

  public WeirException(String message, Throwable cause) {
    super(message, cause);
  }
}
