package dev.weir.server;

import dev.weir.WeirException;

/** A flow, run, revision or backfill that does not exist; the API answers 404. */
public final class NotFoundException extends WeirException {
  public NotFoundException(String message) {
    super(message);
  }
}
