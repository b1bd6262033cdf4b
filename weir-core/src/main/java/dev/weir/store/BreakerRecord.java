package dev.weir.store;

import java.time.Instant;

/**
 * The circuit of one connection as the cluster's nodes share it ({@code weir_breakers}), read at
 * one moment of the database's clock.
 *
 * @param failures consecutive connection failures since the last success, on every node
 * @param openUntil when the circuit half-opens, on the database's clock; null while it is closed
 * @param millisLeft how long it stays open from the moment of the read; 0 or less once half-open
 * @param openedAfter the consecutive failures that opened it; 0 when a failed trial opened it again
 * @param trialHolder the node holding the half-open circuit's trial ({@code node#epoch}), or null
 *     when no live node holds it
 */
public record BreakerRecord(
    String connection,
    int failures,
    Instant openUntil,
    long millisLeft,
    int openedAfter,
    String trialHolder) {

  public boolean closed() {
    return openUntil == null;
  }

  /** Open, and its time is not up yet: tasks wait. */
  public boolean open() {
    return openUntil != null && millisLeft > 0;
  }

  /** Its time is up: one trial task may go. */
  public boolean halfOpen() {
    return openUntil != null && millisLeft <= 0;
  }
}
