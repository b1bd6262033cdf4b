package dev.weir.config;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A named connection from {@code weir.yaml}, templates rendered. A JDBC connection has a {@code
 * url}; an S3 connection ({@code type: s3}) keeps its endpoint, region and keys in {@code
 * settings}, an SFTP one ({@code type: sftp}) its host, port, user, credentials and known hosts.
 * {@link #toString()} never shows a password or key.
 *
 * @param poolSize how many connections a pool for this database may hold at once
 * @param settings the connection's other properties, e.g. {@code endpoint}, {@code region}
 */
public record ConnectionConfig(
    String name,
    String type,
    String url,
    String user,
    String password,
    Map<String, String> properties,
    int poolSize,
    Map<String, String> settings) {
  public static final String JDBC = "jdbc";
  public static final String S3 = "s3";
  public static final String SFTP = "sftp";
  public static final String RABBITMQ = "rabbitmq";
  public static final String NATS = "nats";
  public static final String MQTT = "mqtt";
  public static final String KAFKA = "kafka";

  /** Every connection type, in the order the docs list them. */
  public static final java.util.List<String> TYPES =
      java.util.List.of(JDBC, S3, SFTP, RABBITMQ, NATS, MQTT, KAFKA);

  public static final int DEFAULT_POOL_SIZE = 5;

  /** Settings whose values are credentials and never shown. */
  public static final Set<String> SECRET_SETTINGS =
      Set.of(
          "accessKey",
          "secretKey",
          "sessionToken",
          "password",
          "privateKey",
          "passphrase",
          "token");

  public ConnectionConfig {
    type = type == null ? JDBC : type;
    properties = properties == null ? Map.of() : Map.copyOf(properties);
    settings = settings == null ? Map.of() : Map.copyOf(settings);
    if (poolSize < 1) {
      poolSize = DEFAULT_POOL_SIZE;
    }
  }

  /** A JDBC connection with the default pool size. */
  public static ConnectionConfig jdbc(
      String name, String url, String user, String password, Map<String, String> properties) {
    return new ConnectionConfig(
        name, JDBC, url, user, password, properties, DEFAULT_POOL_SIZE, Map.of());
  }

  public boolean isJdbc() {
    return JDBC.equals(type);
  }

  /** A setting, or {@code fallback} when it is not given. */
  public String setting(String key, String fallback) {
    return settings.getOrDefault(key, fallback);
  }

  @Override
  public String toString() {
    var shown = new TreeMap<String, String>();
    settings.forEach((k, v) -> shown.put(k, SECRET_SETTINGS.contains(k) ? "******" : v));
    return "ConnectionConfig[name="
        + name
        + ", type="
        + type
        + (url == null ? "" : ", url=" + url)
        + (user == null ? "" : ", user=" + user)
        + ", password="
        + (password == null ? "none" : "******")
        + (shown.isEmpty() ? "" : ", settings=" + shown)
        + "]";
  }
}
