package dev.weir.server.api;

import dev.weir.WeirException;

/** An API error with its HTTP status; every error answers the same JSON shape. */
public final class ApiException extends WeirException {
  private final int status;

  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }
}
