package dev.weir.server.cluster;

import dev.weir.store.StoreAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterSignals} on PostgreSQL: {@code NOTIFY} through the store's pool (or in the caller's
 * transaction), {@code LISTEN} on a connection of its own ({@link SignalListener}).
 */
final class PgSignals implements ClusterSignals {
  private static final Logger log = LoggerFactory.getLogger(PgSignals.class);

  // each told the signal heard, or null after a (re)connection
  private final Map<Signal.Kind, List<Consumer<Signal>>> callbacks =
      new EnumMap<>(Signal.Kind.class);
  private final SignalSender sender;
  private final SignalListener listener;
  private final AtomicBoolean closed = new AtomicBoolean();

  PgSignals(StoreAddress store, DataSource pool, String applicationName) {
    for (Signal.Kind k : Signal.Kind.values()) {
      callbacks.put(k, new CopyOnWriteArrayList<>());
    }
    this.sender = new SignalSender(pool);
    this.listener = new SignalListener(store, applicationName, this::heard, this::connected);
  }

  @Override
  public void send(Signal signal) {
    sender.send(signal);
  }

  @Override
  public void sendIn(Connection c, Signal signal) throws SQLException {
    SignalSender.sendIn(c, signal);
  }

  @Override
  public void on(Signal.Kind kind, Runnable callback) {
    callbacks.get(kind).add(s -> callback.run());
  }

  @Override
  public void onEach(Signal.Kind kind, Consumer<Signal> callback) {
    callbacks.get(kind).add(callback);
  }

  @Override
  public void start() {
    listener.start();
  }

  private void heard(String payload) {
    Signal.parse(payload)
        .ifPresentOrElse(
            s -> {
              log.debug("cluster signal {}", s);
              callbacks.get(s.kind()).forEach(c -> call(c, s));
            },
            () -> log.debug("cluster signal '{}' is unknown here; ignored", payload));
  }

  // anything may have been said while nobody listened: every kind is acted on once
  private void connected() {
    callbacks.values().forEach(l -> l.forEach(c -> call(c, null)));
  }

  private static void call(Consumer<Signal> callback, Signal s) {
    try {
      callback.accept(s);
    } catch (RuntimeException e) {
      log.warn("a cluster signal's callback failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      listener.close();
      sender.close();
    }
  }
}
