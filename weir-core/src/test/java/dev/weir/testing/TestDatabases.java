package dev.weir.testing;

import dev.weir.store.JdbcStateStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * PostgreSQL for tests: the server named by {@code WEIR_TEST_PG_URL} when set (CI sets it),
 * otherwise an embedded one started once per JVM. Each caller gets a fresh schema.
 */
public final class TestDatabases {
  private static String baseUrl;
  private static String unavailable;

  private TestDatabases() {}

  public static synchronized String postgresBaseUrl() {
    if (baseUrl != null) {
      return baseUrl;
    }
    if (unavailable != null) {
      Assumptions.abort(unavailable);
    }
    String env = System.getenv("WEIR_TEST_PG_URL");
    if (env != null && !env.isBlank()) {
      baseUrl = env;
      return baseUrl;
    }
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(() -> {
                try {
                  pg.close();
                } catch (IOException e) {
                  // the JVM is going away anyway
                }
              }));
      baseUrl = pg.getJdbcUrl("postgres", "postgres");
      return baseUrl;
    } catch (IOException | RuntimeException e) {
      // e.g. initdb refuses to run as root; say why instead of failing every PostgreSQL test
      unavailable =
          "no PostgreSQL: WEIR_TEST_PG_URL is not set and embedded PostgreSQL did not start ("
              + e.getMessage()
              + ")";
      Assumptions.abort(unavailable);
      return null;
    }
  }

  /** A JDBC URL whose default schema is a new, empty one. */
  public static String freshPostgresSchemaUrl() {
    String base = postgresBaseUrl();
    String schema = "weir_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(base)) {
      c.createStatement().execute("CREATE SCHEMA " + schema.toLowerCase(Locale.ROOT));
      dropAtExit(base, schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test schema on " + base, e);
    }
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** The schema a {@link #freshPostgresSchemaUrl()} URL names. */
  public static String schemaOf(String url) {
    return url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
  }

  /**
   * A JDBC URL of a new, empty MariaDB/MySQL database, dropped when the JVM exits. Tests are
   * skipped when WEIR_TEST_MYSQL_URL is not set: there is no embedded MariaDB to fall back on.
   */
  public static String freshMysqlDatabaseUrl() {
    String base = System.getenv("WEIR_TEST_MYSQL_URL");
    Assumptions.assumeTrue(
        base != null && !base.isBlank(), "no MariaDB: WEIR_TEST_MYSQL_URL is not set");
    String db = "weir_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(base)) {
      c.createStatement().execute("CREATE DATABASE " + db);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database on " + base, e);
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> {
              try (Connection c = DriverManager.getConnection(base)) {
                c.createStatement().execute("DROP DATABASE IF EXISTS " + db);
              } catch (SQLException e) {
                // best effort
              }
            }));
    // jdbc:mariadb://host:3306/test?user=root -> jdbc:mariadb://host:3306/weir_t_x?user=root
    return base.replaceFirst("(//[^/]+/)[^?;]*", "$1" + db);
  }

  private static final java.util.List<String> CREATED = new java.util.ArrayList<>();

  /** Leaves the shared test database as it was: drops this JVM's schemas when it exits. */
  private static synchronized void dropAtExit(String base, String schema) {
    if (CREATED.isEmpty()) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(() -> {
                try (Connection c = DriverManager.getConnection(base)) {
                  for (String s : CREATED) {
                    c.createStatement().execute("DROP SCHEMA IF EXISTS " + s + " CASCADE");
                  }
                } catch (SQLException e) {
                  // best effort: the server may be gone already (embedded PostgreSQL)
                }
              }));
    }
    CREATED.add(schema);
  }

  public static JdbcStateStore freshPostgresStore() {
    return JdbcStateStore.open(freshPostgresSchemaUrl(), null, null, "test PostgreSQL store");
  }
}
