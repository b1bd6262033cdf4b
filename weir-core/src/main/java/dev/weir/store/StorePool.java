package dev.weir.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the connection pool of a {@link JdbcStateStore} and brings its schema up to date. */
final class StorePool {
  private StorePool() {}

  /** The URL of the embedded H2 store in {@code home}, which is made if missing. */
  static String h2Url(Path home) {
    try {
      Files.createDirectories(home);
    } catch (java.io.IOException e) {
      throw StoreFailures.homeNotCreated(home, e);
    }
    // checked here because H2 would otherwise print its own stack traces while it tries to write
    // a trace file, then fail with a message about its lock file
    if (!Files.isWritable(home)) {
      throw StoreFailures.homeNotWritable(home, null);
    }
    // and because H2 would open a store file it may not write read-only, then refuse AUTO_SERVER
    // only after the pool's connection timeout
    Path file = home.resolve("state.mv.db");
    if (Files.exists(file) && !Files.isWritable(file)) {
      throw StoreFailures.homeNotWritable(file, null);
    }
    // AUTO_SERVER lets `weir runs list` read while another process runs a flow. WRITE_DELAY=0
    // writes each commit to the file at once, so a killed process loses no transition.
    return "jdbc:h2:file:"
        + home.toAbsolutePath().resolve("state")
        + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
  }

  /**
   * A small pool of its own for a cluster node's heartbeat (lease renewals, the flows lease): it
   * must not wait behind runs that hold every connection of the store's pool, and must fail within
   * a heartbeat when the database is gone (2 s to connect, 5 s per statement on PostgreSQL) rather
   * than after the minute of retries the store's own work gets: the next heartbeat tries again.
   */
  static HikariDataSource membership(String url, String user, String password) {
    var cfg = new HikariConfig();
    if (url.startsWith("jdbc:h2:")) {
      var h2 = new org.h2.jdbcx.JdbcDataSource();
      h2.setURL(url);
      cfg.setDataSource(h2);
    } else {
      cfg.setJdbcUrl(url);
      if (url.startsWith("jdbc:postgresql:")) {
        cfg.addDataSourceProperty("socketTimeout", "5");
        cfg.addDataSourceProperty("connectTimeout", "2");
      }
    }
    if (user != null) {
      cfg.setUsername(user);
    }
    if (password != null) {
      cfg.setPassword(password);
    }
    cfg.setMaximumPoolSize(2);
    cfg.setMinimumIdle(1);
    cfg.setPoolName("weir-cluster");
    cfg.setInitializationFailTimeout(-1);
    cfg.setConnectionTimeout(2_000);
    return new HikariDataSource(cfg);
  }

  /**
   * A pool on {@code url} with the store's tables migrated.
   *
   * @param home the H2 store's directory, for the error when it cannot be opened; else null
   */
  static HikariDataSource open(String url, String user, String password, Path home) {
    if (!url.startsWith("jdbc:h2:")) {
      StoreFailures.probe(url, user, password); // a network database: is anything there?
    }
    var cfg = new HikariConfig();
    if (url.startsWith("jdbc:h2:")) {
      // H2's DataSource rather than its Driver: the first use of java.sql.DriverManager loads and
      // starts every JDBC driver on the class path (PostgreSQL, MariaDB, DuckDB's, which starts
      // JFR's machinery), a large share of a short command's start-up that the H2 store never uses.
      var h2 = new org.h2.jdbcx.JdbcDataSource();
      h2.setURL(url);
      cfg.setDataSource(h2);
    } else {
      cfg.setJdbcUrl(url);
    }
    if (user != null) {
      cfg.setUsername(user);
    }
    if (password != null) {
      cfg.setPassword(password);
    }
    boolean pg = url.startsWith("jdbc:postgresql:");
    cfg.setMaximumPoolSize(pg ? 8 : 4);
    cfg.setMinimumIdle(1);
    cfg.setPoolName("weir-store");
    cfg.setInitializationFailTimeout(-1);
    cfg.setConnectionTimeout(10_000);
    HikariDataSource ds = null;
    try {
      ds = new HikariDataSource(cfg);
      Migrations.migrate(ds);
    } catch (RuntimeException e) {
      if (ds != null) {
        ds.close(); // or its threads keep trying to connect
      }
      throw StoreFailures.openFailed(url, password, home, e);
    }
    return ds;
  }
}
