package dev.weir.server.cluster;

import java.sql.Connection;

/** {@link ClusterSignals#none()}: a single server on H2, or a store without LISTEN/NOTIFY. */
final class NoSignals implements ClusterSignals {
  static final NoSignals INSTANCE = new NoSignals();

  private NoSignals() {}

  @Override
  public void send(Signal signal) {}

  @Override
  public void sendIn(Connection c, Signal signal) {}

  @Override
  public void on(Signal.Kind kind, Runnable callback) {}

  @Override
  public void onEach(Signal.Kind kind, java.util.function.Consumer<Signal> callback) {}

  @Override
  public void start() {}

  @Override
  public void close() {}
}
