package dev.weir.tasks.cdc;

import dev.weir.config.ConnectionConfig;
import dev.weir.task.TaskFailedException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a MySQL or MariaDB source is, taken from its jdbc url ({@code jdbc:mariadb://host:3306/db}
 * or {@code jdbc:mysql://…}) and the connection's user and password: what Debezium's binlog reader
 * is given, which has no use for a url.
 *
 * @param mariadb whether the url is MariaDB's ({@code jdbc:mariadb:}); its own driver is used then
 */
record MysqlAddress(
    String connection,
    boolean mariadb,
    String host,
    int port,
    String user,
    String password,
    String url,
    String sslMode) {
  private static final Pattern URL =
      Pattern.compile("jdbc:(mariadb|mysql)://([^/:?,]+)(?::(\\d+))?(?:/([^?]*))?(?:\\?(.*))?");

  static MysqlAddress of(ConnectionConfig c) {
    Matcher m = URL.matcher(c.url() == null ? "" : c.url());
    if (!m.matches()) {
      throw TaskFailedException.permanent(
          "connection '"
              + c.name()
              + "' is not a MariaDB or MySQL jdbc url with one host; cdc.mysql reads the binary"
              + " log of one server (url: jdbc:mariadb://host:3306/db or jdbc:mysql://host:3306/db);"
              + " for PostgreSQL use cdc.postgres");
    }
    Map<String, String> params = params(m.group(5));
    String user = c.user() != null ? c.user() : params.get("user");
    String password = c.password() != null ? c.password() : params.getOrDefault("password", "");
    return new MysqlAddress(
        c.name(),
        m.group(1).equals("mariadb"),
        m.group(2),
        m.group(3) == null ? 3306 : Integer.parseInt(m.group(3)),
        user,
        password,
        c.url(),
        sslMode(c.name(), m.group(1).equals("mariadb"), params));
  }

  /**
   * Debezium's {@code database.ssl.mode} for the url's TLS settings, so the binlog connection is as
   * safe as the task's queries; null when the url says nothing (Debezium's default, {@code
   * preferred}).
   */
  static String sslMode(String connection, boolean mariadb, Map<String, String> params) {
    String mode = params.get("sslMode");
    if (mode == null) {
      mode = params.get("sslmode");
    }
    if (mode != null) {
      String m = mode.toLowerCase(java.util.Locale.ROOT).replace('-', '_');
      String mapped =
          switch (m) {
            case "disable", "disabled" -> "disabled";
            case "preferred" -> "preferred";
            case "trust", "required" -> "required";
            case "verify_ca" -> "verify_ca";
            case "verify_full", "verify_identity" -> "verify_identity";
            default -> null;
          };
      if (mapped == null) {
        throw TaskFailedException.permanent(
            "connection '"
                + connection
                + "' has sslMode="
                + mode
                + ", which cdc.mysql does not know; use "
                + (mariadb
                    ? "disable, trust, verify-ca or verify-full"
                    : "DISABLED, PREFERRED," + " REQUIRED, VERIFY_CA or VERIFY_IDENTITY"));
      }
      return mapped;
    }
    String useSsl = params.getOrDefault("useSSL", params.get("useSsl"));
    if (useSsl == null) {
      return null;
    }
    if (!Boolean.parseBoolean(useSsl)) {
      return "disabled";
    }
    if (mariadb) { // MariaDB's older driver checks the certificate unless told to trust any
      return Boolean.parseBoolean(params.get("trustServerCertificate"))
          ? "required"
          : "verify_identity";
    }
    // MySQL's Connector/J: useSSL alone encrypts without checking the certificate
    return Boolean.parseBoolean(params.get("verifyServerCertificate")) ? "verify_ca" : "required";
  }

  private static Map<String, String> params(String query) {
    var out = new LinkedHashMap<String, String>();
    if (query == null) {
      return out;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(
            pair.substring(0, eq),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return (mariadb ? "MariaDB " : "MySQL ") + host + ":" + port; // never the password
  }
}
