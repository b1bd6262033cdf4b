package dev.weir.store;

import dev.weir.WeirException;
import dev.weir.util.IoErrors;
import dev.weir.util.JdbcUrls;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Why the state store could not be opened, in Weir's words: what happened and what to do. The
 * driver's exception stays the cause (for the log file); the console shows this message only.
 */
final class StoreFailures {
  static final String CHOOSE_HOME = "choose another home with --home (or set WEIR_HOME)";

  private StoreFailures() {}

  /** The home directory could not be made. */
  static WeirException homeNotCreated(Path home, IOException e) {
    Path abs = home.toAbsolutePath().normalize();
    Optional<Path> file = IoErrors.fileInTheWay(abs);
    String reason =
        file.isPresent() ? file.get() + " is a file, not a directory" : IoErrors.reason(e);
    return new WeirException(
        "cannot create the Weir home " + abs + ": " + reason + "; " + CHOOSE_HOME, e);
  }

  /** The home exists, but this user may not write it (H2 needs to, even to read: a lock file). */
  static WeirException homeNotWritable(Path path, Throwable cause) {
    return new WeirException(
        "cannot write "
            + path.toAbsolutePath().normalize()
            + (onReadOnlyFileSystem(path) ? ": read-only file system; " : ": permission denied; ")
            + CHOOSE_HOME
            + ", or run as the user who owns it",
        cause);
  }

  /**
   * Fails at once when nothing listens at the database's address: the pool would otherwise retry a
   * refused connection for its whole connection timeout (10 s) before saying so. Any other outcome,
   * even a failure, is left to the pool.
   */
  static void probe(String url, String user, String password) {
    var props = new java.util.Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    try (var c = java.sql.DriverManager.getConnection(url, props)) {
      // reachable; the pool opens its own connections
    } catch (SQLException e) {
      if (IoErrors.find(e, ConnectException.class).isPresent()
          || IoErrors.find(e, UnknownHostException.class).isPresent()) {
        throw openFailed(url, password, null, new IllegalStateException(e));
      }
    }
  }

  /** Opening the store at {@code url} failed; {@code home} is set for the embedded H2 store. */
  static WeirException openFailed(String url, String password, Path home, RuntimeException e) {
    if (home != null && readOnly(e)) {
      Path state = home.resolve("state.mv.db");
      return homeNotWritable(Files.isWritable(home) && Files.exists(state) ? state : home, e);
    }
    String where = JdbcUrls.redact(url);
    String state = driverState(e);
    String what;
    if (IoErrors.find(e, ConnectException.class).isPresent()) {
      what =
          "cannot connect to the state store at "
              + where
              + ": connection refused; is "
              + (url.startsWith("jdbc:postgresql:") ? "PostgreSQL" : "the database")
              + " running at "
              + hostPort(url)
              + "? Start it, or give the right address with --db";
    } else if (IoErrors.find(e, UnknownHostException.class).isPresent()) {
      what =
          "cannot connect to the state store at "
              + where
              + ": unknown host; "
              + (url.matches("jdbc:postgresql://[^/]*@.*")
                  ? "PostgreSQL's driver takes no user:password@ before the host; give them as"
                      + " ?user=…&password=…"
                  : "check the host name in --db");
    } else if (state.startsWith("28")) {
      what =
          "the state store at "
              + where
              + " refused the credentials; check the user and password given with --db";
    } else if (state.equals("3D000")) {
      what =
          "cannot open the state store at "
              + where
              + ": the database does not exist; create it (e.g. createdb) or correct --db";
    } else {
      boolean pg = url.startsWith("jdbc:postgresql:");
      what =
          "cannot open the state store at "
              + where
              + ": "
              + rootMessage(e)
              + (pg ? " (is PostgreSQL running, and does the database exist?)" : "");
    }
    return new WeirException(scrub(what, url, password), scrubbed(e, url, password));
  }

  /**
   * H2 opens a file it may not write read-only, and then refuses AUTO_SERVER with "Feature not
   * supported: AUTO_SERVER=TRUE && (readOnly || …)"; or it cannot create its lock file.
   */
  private static boolean readOnly(Throwable e) {
    if (IoErrors.isPermission(e)) {
      return true;
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      // the pool wraps H2's exception in one of its own: look along the whole chain
      if (t instanceof SQLException s
          && s.getErrorCode() == 50100
          && String.valueOf(s.getMessage()).contains("readOnly")) {
        return true;
      }
    }
    return false;
  }

  private static String scrub(String text, String url, String password) {
    String out = JdbcUrls.scrub(text, url);
    return password == null || password.isEmpty() ? out : out.replace(password, "******");
  }

  /**
   * A copy of the cause chain with the password masked in every message: PostgreSQL's driver echoes
   * a {@code user:password@host} part as an unknown host, and the cause goes to the log.
   */
  private static Throwable scrubbed(Throwable e, String url, String password) {
    Throwable cause = e.getCause() == null || e.getCause() == e ? null : e.getCause();
    String message = e.getMessage();
    if (message != null && scrub(message, url, password).equals(message) && cause == null) {
      return e;
    }
    var copy =
        new WeirException(
            e.getClass().getName() + ": " + scrub(String.valueOf(message), url, password),
            cause == null ? null : scrubbed(cause, url, password));
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }

  private static boolean onReadOnlyFileSystem(Path path) {
    try {
      return Files.getFileStore(path).isReadOnly();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  // the driver's SQLSTATE, not the pool's: the innermost one that has one
  private static String driverState(Throwable e) {
    String state = "";
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        state = s.getSQLState();
      }
    }
    return state;
  }

  private static String hostPort(String url) {
    try {
      URI u = URI.create(url.substring("jdbc:".length()));
      if (u.getHost() != null) {
        return u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
      }
    } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
      // not a URI with a host; say so less precisely
    }
    return "that address";
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
