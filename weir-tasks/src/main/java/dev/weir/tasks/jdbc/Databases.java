package dev.weir.tasks.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.weir.config.ConnectionConfig;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.util.SqlFailures;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens connections for the jdbc tasks. Network databases share one pool per connection (sized by
 * {@code poolSize}) for the life of the process; embedded files get a plain connection, so that
 * nothing holds their lock between tasks. Failures name the connection and never its password.
 */
public final class Databases {
  private static final Map<String, HikariDataSource> POOLS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> POOLS.values().forEach(HikariDataSource::close), "weir-pools-close"));
  }

  private Databases() {}

  /** The validation problem when a task gives neither or both of url and connection, else null. */
  static String exactlyOne(String url, String connection, String example) {
    if ((url == null) != (connection == null)) {
      return null;
    }
    return (url == null
            ? "neither url nor connection is given"
            : "both url and connection are given")
        + "; give exactly one: "
        + example;
  }

  /**
   * A failed statement as a task failure, classified by {@link SqlFailures}: a connection failure
   * when the database went away (it counts towards the connection's circuit breaker), retryable
   * when trying again can succeed (a deadlock), else permanent (bad SQL, a missing table, a key).
   * The message gains the SQLSTATE, so the retry line in the task's log names the condition.
   */
  public static TaskFailedException statementFailure(String message, SQLException e) {
    String full = message + (message.contains("SQLSTATE") ? "" : SqlFailures.stateSuffix(e));
    return switch (SqlFailures.classify(e)) {
      case CONNECTION -> TaskFailedException.connection(full, e);
      case TRANSIENT -> new TaskFailedException(full, true, Map.of(), e);
      case PERMANENT -> new TaskFailedException(full, false, Map.of(), e);
    };
  }

  /** A connection for {@code url} or the named {@code connection}, whichever the task gave. */
  public static ConnectionConfig resolve(String url, String connection, TaskContext context) {
    if (connection != null) {
      ConnectionConfig c = context.connection(connection);
      if (!c.isJdbc()) {
        throw TaskFailedException.permanent(
            "connection '"
                + connection
                + "' is a "
                + c.type()
                + " connection; this task needs a database connection with a jdbc url");
      }
      return c;
    }
    return ConnectionConfig.jdbc(null, url, null, null, Map.of());
  }

  /** A DuckDB file named relative to the flow's directory, there; its directory made. */
  public static ConnectionConfig located(ConnectionConfig c, TaskContext context)
      throws java.io.IOException {
    if (!DuckTarget.isDuckDb(c.url())) {
      return c;
    }
    String url = DuckTarget.resolve(c.url(), context.workDir());
    DuckTarget.ensureParentDir(url);
    return new ConnectionConfig(
        c.name(),
        c.type(),
        url,
        c.user(),
        c.password(),
        c.properties(),
        c.poolSize(),
        c.settings());
  }

  public static Connection open(ConnectionConfig c, TaskContext context) {
    Dialect dialect = Dialect.of(c.url());
    try {
      if (dialect.pooled()) {
        return pool(c).getConnection();
      }
      if (dialect == Dialect.DUCKDB) {
        return dev.weir.tasks.duck.DuckFiles.connect(c.url(), properties(c));
      }
      return DriverManager.getConnection(c.url(), properties(c));
    } catch (TaskFailedException e) {
      throw e; // DuckFiles said it in Weir's words: a locked or forbidden file
    } catch (SQLException | RuntimeException e) {
      throw failure(c, e, context);
    }
  }

  private static HikariDataSource pool(ConnectionConfig c) throws SQLException {
    String key = c.name() + "\u0000" + c.url() + "\u0000" + c.user() + "\u0000" + c.password();
    HikariDataSource ds = POOLS.get(key);
    if (ds != null) {
      return ds;
    }
    synchronized (POOLS) {
      ds = POOLS.get(key);
      if (ds == null) {
        // a first connection is made here, so a wrong password fails now, with the driver's reason
        var config = new HikariConfig();
        config.setPoolName("weir-" + (c.name() == null ? "url" : c.name()));
        config.setJdbcUrl(c.url());
        config.setUsername(c.user());
        config.setPassword(c.password());
        config.setMaximumPoolSize(c.poolSize());
        config.setMinimumIdle(0);
        config.setIdleTimeout(60_000);
        config.setConnectionTimeout(30_000);
        config.setInitializationFailTimeout(1);
        c.properties().forEach(config::addDataSourceProperty);
        // text parameters (a day from an input) compare with date and number columns as typed
        if (Dialect.of(c.url()) == Dialect.POSTGRES
            && !c.properties().containsKey("stringtype")
            && !c.url().contains("stringtype=")) {
          config.addDataSourceProperty("stringtype", "unspecified");
        }
        // a source table whose columns changed (the drift a contract reports) would otherwise
        // fail on a pooled connection with "cached plan must not change result type"
        if (Dialect.of(c.url()) == Dialect.POSTGRES
            && !c.properties().containsKey("prepareThreshold")
            && !c.url().contains("prepareThreshold=")) {
          config.addDataSourceProperty("prepareThreshold", "0");
          config.addDataSourceProperty("preparedStatementCacheQueries", "0");
        }
        if (c.url().toLowerCase(java.util.Locale.ROOT).startsWith("jdbc:mysql:")) {
          config.addDataSourceProperty("permitMysqlScheme", "true");
        }
        try {
          ds = new HikariDataSource(config);
        } catch (RuntimeException e) {
          Throwable cause = e.getCause() instanceof SQLException s ? s : e;
          if (cause instanceof SQLException s) {
            throw s;
          }
          throw e;
        }
        POOLS.put(key, ds);
      }
      return ds;
    }
  }

  private static Properties properties(ConnectionConfig c) {
    var p = new Properties();
    p.putAll(c.properties());
    if (c.user() != null) {
      p.setProperty("user", c.user());
    }
    if (c.password() != null) {
      p.setProperty("password", c.password());
    }
    return p;
  }

  /** A failure to connect, naming the connection, what went wrong and what to check. */
  public static TaskFailedException failure(ConnectionConfig c, Exception e, TaskContext context) {
    String who =
        (c.name() == null ? "database " : "connection '" + c.name() + "' (")
            + redact(c.url())
            + (c.user() == null ? "" : ", user " + c.user())
            + (c.name() == null ? "" : ")");
    String reason = rootMessage(e);
    String state = e instanceof SQLException s ? s.getSQLState() : null;
    String hint;
    boolean unreachable = false;
    if (reason.contains("No suitable driver")) {
      hint =
          "no JDBC driver on the classpath accepts this url; Weir bundles PostgreSQL"
              + " (jdbc:postgresql:), MariaDB/MySQL (jdbc:mariadb:, jdbc:mysql:), H2, SQLite and"
              + " DuckDB. Check the url's prefix";
    } else if (state != null && (state.startsWith("28") || state.equals("42000"))
        || reason.toLowerCase(java.util.Locale.ROOT).contains("password")
        || reason.contains("Access denied")) {
      hint =
          "the database refused the credentials; check user and password (a secret) in weir.yaml";
    } else if (SqlFailures.connectionLost(e)) {
      // refused, unknown host, or a server starting up or shutting down (57P03): all can heal
      hint = "the database could not be reached; check host, port and that it is running";
      unreachable = true;
    } else {
      hint = "check the url and the database's own message";
    }
    String message =
        "cannot connect to " + who + ": " + reason + (reason.endsWith(".") ? " " : "; ") + hint;
    message = context.mask(scrub(message, c));
    // too many connections (53300) can heal too; a refused password or a bad url cannot
    return unreachable
        ? TaskFailedException.connection(message, null)
        : new TaskFailedException(
            message, SqlFailures.classify(e) == SqlFailures.Kind.TRANSIENT, Map.of(), null);
  }

  /** Removes the password, wherever a driver may have echoed it. */
  static String scrub(String text, ConnectionConfig c) {
    String out = text;
    if (c.password() != null && !c.password().isEmpty()) {
      out = out.replace(c.password(), "******");
    }
    return out;
  }

  /** A url with any {@code password=} parameter hidden. */
  static String redact(String url) {
    return url == null ? null : url.replaceAll("(?i)(password=)[^&;]*", "$1******");
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    String message = e.getMessage();
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t.getMessage() != null && t instanceof SQLException) {
        message = t.getMessage();
      }
    }
    if (message == null) {
      message = t.toString();
    }
    return message.strip();
  }
}
