package dev.weir.server.cluster;

import dev.weir.store.StoreAddress;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Wake-ups between the nodes of a cluster, by PostgreSQL's {@code LISTEN/NOTIFY}: a node that made
 * work visible to the others (a limited flow's run ended, a flow revision stored, the node left)
 * tells them, and they look now instead of at their next heartbeat or scan. Polling stays the
 * correctness path: a signal that is lost (a listener reconnecting, a database restart) costs only
 * latency. On H2 and MariaDB there is nobody to tell: {@link #none()} does nothing.
 */
public interface ClusterSignals extends AutoCloseable {
  /**
   * Tells every node (this one too) soon after the caller's commit, from a thread of its own:
   * neither waits nor fails; signals sent close together go in one statement, the same one once.
   */
  void send(Signal signal);

  /**
   * Tells every node when the caller's transaction on {@code c} commits; nothing when it rolls
   * back.
   */
  void sendIn(Connection c, Signal signal) throws SQLException;

  /**
   * Runs {@code callback} for every signal of this kind, and once after each (re)connection of the
   * listener (signals may have been missed meanwhile). It runs on the listener's thread: it must
   * only hand work over (wake a thread, schedule a task), never do it.
   */
  void on(Signal.Kind kind, Runnable callback);

  /**
   * Runs {@code callback} with every signal of this kind heard, and with null once after each
   * (re)connection of the listener (whatever was said meanwhile is unknown). On the listener's
   * thread, as {@link #on(Signal.Kind, Runnable)}.
   */
  void onEach(Signal.Kind kind, java.util.function.Consumer<Signal> callback);

  /** Starts listening; register the callbacks first. */
  void start();

  /** Stops listening; signals sent before are still sent (within a second or two). */
  @Override
  void close();

  /** Signals that go nowhere: a single server on H2, a store on MariaDB. */
  static ClusterSignals none() {
    return NoSignals.INSTANCE;
  }

  /**
   * Signals through the store when it is PostgreSQL, else {@link #none()}.
   *
   * @param store the store's address, its secrets read (null for the embedded H2 store)
   * @param pool the store's pool, which sends the signals made after a commit
   * @param nodeId this node's id, in the listener connection's {@code application_name}
   */
  static ClusterSignals open(StoreAddress store, DataSource pool, String nodeId) {
    if (store == null || !store.url().startsWith("jdbc:postgresql:")) {
      return none();
    }
    return new PgSignals(store, pool, "weir-signals " + nodeId);
  }
}
