package dev.weir.task;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * A dataset a task read or wrote, named as OpenLineage names datasets: a {@code namespace} (where
 * it lives: {@code postgres://db:5432}, {@code duckdb:/data/w.duckdb}, {@code file}, {@code
 * s3://bucket}, {@code https://api.example.com}) and a {@code name} within it ({@code
 * shop.public.orders}, an absolute path, a key, a URL path). See
 * https://openlineage.io/docs/spec/naming.
 *
 * <p>Names never carry credentials: the factories drop user info, query strings and JDBC properties
 * (where passwords and tokens go), so audit rows and lineage events can be shown and sent anywhere.
 *
 * @param rows rows read from or written to it by this task, -1 when not known
 * @param bytes bytes read or written, -1 when not known
 */
public record DatasetRef(String namespace, String name, long rows, long bytes) {
  public DatasetRef {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  public DatasetRef(String namespace, String name) {
    this(namespace, name, -1, -1);
  }

  public DatasetRef withRows(long rows) {
    return new DatasetRef(namespace, name, rows, bytes);
  }

  public DatasetRef withBytes(long bytes) {
    return new DatasetRef(namespace, name, rows, bytes);
  }

  /** A local file by its absolute path. */
  public static DatasetRef file(Path path) {
    return new DatasetRef("file", path.toAbsolutePath().normalize().toString());
  }

  /**
   * An S3 object or prefix: namespace {@code s3://bucket}, name the key without a leading or
   * trailing slash (as the OpenLineage Java client names {@code s3://bucket/prefix/}).
   */
  public static DatasetRef s3(String bucket, String key) {
    String name = key == null ? "" : key;
    if (name.startsWith("/")) {
      name = name.substring(1);
    }
    if (name.endsWith("/")) {
      name = name.substring(0, name.length() - 1);
    }
    return new DatasetRef("s3://" + bucket, name);
  }

  /** What task {@code taskId} of a flow staged for the tasks after it (stable across runs). */
  public static DatasetRef staged(String flowNamespace, String flowId, String taskId) {
    return new DatasetRef("weir://" + flowNamespace, flowId + "." + taskId);
  }

  /**
   * An HTTP endpoint: namespace {@code scheme://host[:port]}, name its path. User info, query and
   * fragment are dropped (they carry keys and tokens).
   */
  public static DatasetRef url(String url) {
    try {
      URI u = URI.create(url.strip());
      if (u.getScheme() != null && u.getHost() != null) {
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        return new DatasetRef(hostNamespace(u.getScheme(), u.getHost(), u.getPort()), path);
      }
    } catch (IllegalArgumentException e) {
      // not a URI; fall through to the plain clean-up
    }
    return new DatasetRef("url", stripCredentials(url));
  }

  /**
   * A table of a database reached by a JDBC URL, named by OpenLineage's naming conventions:
   *
   * <ul>
   *   <li>PostgreSQL: namespace {@code postgres://host:port} (port 5432 when the URL has none),
   *       name {@code database.schema.table}; an unqualified table is in the URL's {@code
   *       currentSchema}, else {@code public}.
   *   <li>MySQL and MariaDB: {@code mysql://host:port} (3306 by default), {@code database.table}.
   *   <li>DuckDB (no rule on OpenLineage's naming page): as the OpenLineage Java client names a
   *       {@code jdbc:duckdb:} URL, namespace {@code duckdb:} and the database file's absolute
   *       path, name the table as written. An in-memory database is {@code duckdb:memory}.
   *   <li>Other servers: {@code <scheme>://host[:port]}, {@code database.table}; other file
   *       databases (H2, SQLite): the scheme, and the file and table.
   * </ul>
   *
   * Users, passwords and every property of the URL are left out.
   */
  public static DatasetRef table(String jdbcUrl, String table) {
    String url = jdbcUrl.strip();
    String rest = url.regionMatches(true, 0, "jdbc:", 0, 5) ? url.substring(5) : url;
    int colon = rest.indexOf(':');
    String scheme = colon < 0 ? "jdbc" : rest.substring(0, colon).toLowerCase(Locale.ROOT);
    String whole = colon < 0 ? rest : rest.substring(colon + 1);
    // properties: ?user=..&password=.. (PostgreSQL, MariaDB), ;password=.. (H2, SQL Server)
    String body = whole.split("[?;]", 2)[0];
    String namespaceScheme =
        switch (scheme) {
          case "postgresql", "pgsql" -> "postgres";
          case "mariadb" -> "mysql";
          default -> scheme;
        };
    if (body.startsWith("//")) {
      String authority = body.substring(2);
      int slash = authority.indexOf('/');
      String hostPort = slash < 0 ? authority : authority.substring(0, slash);
      String database = slash < 0 ? "" : authority.substring(slash + 1);
      int at = hostPort.lastIndexOf('@');
      if (at >= 0) {
        hostPort = hostPort.substring(at + 1);
      }
      String name;
      if (namespaceScheme.equals("postgres")) {
        hostPort = withPort(hostPort, 5432);
        name = qualified(database, currentSchema(whole), table);
      } else {
        if (namespaceScheme.equals("mysql")) {
          hostPort = withPort(hostPort, 3306);
        }
        name = database.isEmpty() ? table : database + "." + table;
      }
      return new DatasetRef(namespaceScheme + "://" + hostPort, name);
    }
    // file and memory databases: h2:/data/db, h2:file:/data/db, duckdb:/x.duckdb, sqlite:x.db
    String location = body.startsWith("file:") ? body.substring(5) : body;
    int at = location.lastIndexOf('@');
    if (at >= 0 && location.indexOf(':') > 0 && location.indexOf(':') < at) {
      location = location.substring(at + 1); // user:password@location
    }
    if (namespaceScheme.equals("duckdb")) {
      return duckdb(location, table);
    }
    return new DatasetRef(namespaceScheme, location.isEmpty() ? table : location + "." + table);
  }

  private static DatasetRef duckdb(String location, String table) {
    if (location.isEmpty() || location.startsWith(":")) {
      return new DatasetRef("duckdb:memory", table);
    }
    if (location.matches("[a-z]+:.*")) { // md:, s3: and other non-local databases
      return new DatasetRef("duckdb:" + location, table);
    }
    return new DatasetRef("duckdb:" + Path.of(location).toAbsolutePath().normalize(), table);
  }

  /** {@code database.schema.table}, with {@code schema} added to a table named without one. */
  private static String qualified(String database, String schema, String table) {
    int parts = table.split("\\.", -1).length;
    String inDatabase = parts >= 2 ? table : schema + "." + table;
    return parts >= 3 || database.isEmpty() ? inDatabase : database + "." + inDatabase;
  }

  /** The first schema of the URL's {@code currentSchema} that names one, else {@code public}. */
  private static String currentSchema(String urlBody) {
    String path = property(urlBody, "currentSchema");
    for (String s : path == null ? new String[0] : path.split(",")) {
      String schema = s.strip();
      if (!schema.isEmpty() && !schema.startsWith("$")) { // "$user": the login's own schema
        return schema;
      }
    }
    return "public";
  }

  private static String withPort(String hostPort, int port) {
    // host, host:port, [::1], [::1]:port; a list of hosts (failover) keeps its first
    String first = hostPort.split(",", 2)[0];
    boolean hasPort = first.startsWith("[") ? first.indexOf("]:") > 0 : first.indexOf(':') > 0;
    return hasPort ? first : first + ":" + port;
  }

  /** The value of URL property {@code key} ({@code ?key=v&..} or {@code ;key=v;..}), or null. */
  private static String property(String urlBody, String key) {
    int q = urlBody.indexOf('?');
    if (q < 0) {
      return null;
    }
    for (String pair : urlBody.substring(q + 1).split("[&;]")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equalsIgnoreCase(key) && eq < pair.length() - 1) {
        return java.net.URLDecoder.decode(
            pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static String hostNamespace(String scheme, String host, int port) {
    return scheme.toLowerCase(Locale.ROOT) + "://" + host + (port < 0 ? "" : ":" + port);
  }

  /** Text with any {@code user:password@}, query string and fragment removed. */
  static String stripCredentials(String text) {
    String s = text.split("[?#]", 2)[0];
    return s.replaceAll("(?<=//)[^/@\\s]*@", "");
  }
}
