package dev.weir.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Fresh PostgreSQL schemas for benchmarks that need an empty store: each measurement starts from
 * empty tables on a shared server, and leaves the server as it found it.
 */
final class PgSchemas {
  static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private PgSchemas() {}

  /** A new empty schema on {@code baseUrl}'s database; the URL to use it as the default schema. */
  static String create(String baseUrl, String prefix) throws SQLException {
    String schema = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    try (Connection c = DriverManager.getConnection(baseUrl)) {
      c.createStatement().execute("CREATE SCHEMA " + schema);
    }
    return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** Drops the schema {@link #create} made for {@code schemaUrl}, with everything in it. */
  static void drop(String baseUrl, String schemaUrl) {
    String schema = schemaOf(schemaUrl);
    try (Connection c = DriverManager.getConnection(baseUrl)) {
      c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      System.out.println("could not drop schema " + schema + ": " + e.getMessage());
    }
  }

  static String schemaOf(String schemaUrl) {
    return schemaUrl.replaceFirst(".*[?&]currentSchema=([a-z0-9_]+).*", "$1");
  }
}
