package dev.weir.server.cluster;

import dev.weir.store.StoreAddress;
import dev.weir.util.JdbcUrls;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on {@value Signal#CHANNEL} on a connection of its own, on a thread of its own. Not a
 * pooled connection: a session's {@code LISTEN} lasts as long as the session, and a pool would hand
 * the session to others and close it when it likes. Any failure (the database restarted, the
 * session was terminated, a ping went unanswered) closes it and opens another after 0.5 s, doubling
 * up to 5 s; it is told once at WARN, then at DEBUG while it keeps failing.
 */
final class SignalListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SignalListener.class);

  /** How long one wait for notifications lasts; the session is pinged after each empty one. */
  static final Duration WAIT = Duration.ofSeconds(5);

  static final Duration FIRST_RETRY = Duration.ofMillis(500);
  static final Duration LAST_RETRY = Duration.ofSeconds(5);

  private final StoreAddress store;
  private final String applicationName;
  private final Consumer<String> heard;
  private final Runnable connected;
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile Connection connection;
  private Thread thread;

  /**
   * @param heard told each payload, on the listener's thread
   * @param connected told after each connection starts listening (signals may have been missed)
   */
  SignalListener(
      StoreAddress store, String applicationName, Consumer<String> heard, Runnable connected) {
    this.store = store;
    this.applicationName = applicationName;
    this.heard = heard;
    this.connected = connected;
  }

  synchronized void start() {
    if (thread == null && closed.getCount() > 0) {
      thread = Thread.ofPlatform().daemon().name("weir-cluster-signals").start(this::loop);
    }
  }

  private void loop() {
    long retry = FIRST_RETRY.toMillis();
    boolean failing = false;
    while (!closed()) {
      try (Connection c = connect()) {
        connection = c;
        if (closed()) {
          break; // close() looked before the connection was there
        }
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + Signal.CHANNEL);
        }
        if (failing) {
          log.info("cluster signals: listening again on {}", where());
        }
        failing = false;
        retry = FIRST_RETRY.toMillis();
        connected.run();
        receive(c);
      } catch (SQLException | RuntimeException e) {
        if (closed()) {
          break;
        }
        String why = scrub(e.getMessage() == null ? e.toString() : e.getMessage());
        if (!failing) {
          log.warn(
              "cluster signals: listening on {} failed ({}); other nodes' work is found by polling"
                  + " until it is back; trying again",
              where(),
              why);
        } else {
          log.debug("cluster signals: listening on {} failed again: {}", where(), why);
        }
        failing = true;
        if (await(retry)) {
          break;
        }
        retry = Math.min(LAST_RETRY.toMillis(), retry * 2);
      } finally {
        connection = null;
      }
    }
  }

  private void receive(Connection c) throws SQLException {
    PGConnection pg = c.unwrap(PGConnection.class);
    while (!closed()) {
      PGNotification[] got = pg.getNotifications((int) WAIT.toMillis());
      if (got == null || got.length == 0) {
        // a session cut without a word (a partition) would be silent for ever: ask it
        try (Statement s = c.createStatement()) {
          s.execute("SELECT 1");
        }
        continue;
      }
      for (PGNotification n : got) {
        heard.accept(n.getParameter());
      }
    }
  }

  private Connection connect() throws SQLException {
    var p = new Properties();
    if (store.user() != null) {
      p.setProperty("user", store.user());
    }
    if (store.password() != null) {
      p.setProperty("password", store.password());
    }
    // seen in pg_stat_activity; a URL's own ApplicationName wins
    p.setProperty("ApplicationName", applicationName);
    p.setProperty("connectTimeout", "5");
    p.setProperty("socketTimeout", "10"); // the ping's bound; waits set their own
    p.setProperty("tcpKeepAlive", "true");
    return DriverManager.getConnection(store.url(), p);
  }

  private boolean closed() {
    return closed.getCount() == 0;
  }

  // true when closed meanwhile
  private boolean await(long millis) {
    try {
      return closed.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private String where() {
    return JdbcUrls.redact(store.url());
  }

  private String scrub(String text) {
    String out = JdbcUrls.scrub(text, store.url());
    String password = store.password();
    return password == null || password.isEmpty() ? out : out.replace(password, "******");
  }

  /** Stops listening: the session is cut at once, the thread ends within a second or two. */
  @Override
  public void close() {
    closed.countDown();
    Connection c = connection;
    if (c != null) {
      try {
        c.abort(Runnable::run); // wakes the wait, which holds the connection's lock
      } catch (SQLException | RuntimeException e) {
        log.debug("cluster signals: closing the listening connection: {}", e.toString());
      }
    }
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
