package dev.weir.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.WeirException;
import dev.weir.flow.FlowDefinitionException;
import dev.weir.flow.Problem;
import dev.weir.flow.YamlTree;
import dev.weir.staging.StagingPolicy;
import dev.weir.util.Suggest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The project's {@code weir.yaml}: named connections and the staging retention. Found in the flow's
 * directory or the nearest parent that has one.
 *
 * <pre>
 * connections:
 *   warehouse:
 *     url: jdbc:duckdb:warehouse.duckdb
 *   source_pg:
 *     url: jdbc:postgresql://db:5432/shop
 *     user: etl
 *     password: "{{ secret('SOURCE_PG_PASSWORD') }}"
 *     poolSize: 4
 *     properties: {ssl: "true"}
 *   lake:
 *     type: s3
 *     endpoint: http://minio:9000
 *     region: eu-central-1
 *     pathStyle: true
 *     accessKey: "{{ secret('LAKE_KEY') }}"
 *     secretKey: "{{ secret('LAKE_SECRET') }}"
 *   partner:
 *     type: sftp
 *     host: files.partner.example
 *     user: weir
 *     privateKey: "{{ secret('PARTNER_SSH_KEY') }}"
 *     knownHosts: "files.partner.example ssh-ed25519 AAAAC3Nza..."
 *   events:
 *     type: rabbitmq              # or nats, mqtt (each with a url), kafka (bootstrapServers)
 *     url: amqp://rabbit:5672/%2f
 *     user: weir
 *     password: "{{ secret('RABBIT_PASSWORD') }}"
 * staging: {retention: 7d, keepFailed: true}
 * </pre>
 */
public final class ProjectConfig {
  public static final String FILE_NAME = "weir.yaml";
  private static final List<String> JDBC_KEYS =
      List.of("type", "url", "user", "password", "properties", "poolSize");
  private static final List<String> S3_KEYS =
      List.of("type", "endpoint", "region", "pathStyle", "accessKey", "secretKey", "sessionToken");
  private static final List<String> SFTP_KEYS =
      List.of(
          "type",
          "host",
          "port",
          "user",
          "password",
          "privateKey",
          "passphrase",
          "knownHosts",
          "strictHostKeyChecking");

  /** Message brokers: each names its server by url, Kafka by its bootstrap servers. */
  private static final Map<String, List<String>> BROKER_KEYS =
      Map.of(
          ConnectionConfig.RABBITMQ, List.of("type", "url", "user", "password"),
          ConnectionConfig.NATS, List.of("type", "url", "user", "password", "token"),
          ConnectionConfig.MQTT, List.of("type", "url", "user", "password", "clientId"),
          ConnectionConfig.KAFKA, List.of("type", "bootstrapServers", "properties"));

  private static final Map<String, String> BROKER_EXAMPLES =
      Map.of(
          ConnectionConfig.RABBITMQ, "`url: amqp://127.0.0.1:5672/%2f`",
          ConnectionConfig.NATS, "`url: nats://127.0.0.1:4222`",
          ConnectionConfig.MQTT, "`url: tcp://127.0.0.1:1883`",
          ConnectionConfig.KAFKA, "`bootstrapServers: 127.0.0.1:9092`");

  private final Path file;
  private final Map<String, JsonNode> connections;
  private final StagingPolicy staging;

  private ProjectConfig(Path file, Map<String, JsonNode> connections, StagingPolicy staging) {
    this.file = file;
    this.connections = connections;
    this.staging = staging;
  }

  public static ProjectConfig empty() {
    return new ProjectConfig(null, Map.of(), StagingPolicy.DEFAULT);
  }

  /** The {@code weir.yaml} nearest to {@code dir} (itself or a parent), or an empty config. */
  public static ProjectConfig find(Path dir) {
    for (Path d = dir.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
      Path f = d.resolve(FILE_NAME);
      if (Files.isRegularFile(f)) {
        return load(f);
      }
    }
    return empty();
  }

  public static ProjectConfig load(Path f) {
    String text;
    try {
      text = Files.readString(f);
    } catch (IOException e) {
      throw new WeirException("cannot read " + f + ": " + e.getMessage(), e);
    }
    var problems = new ArrayList<Problem>();
    YamlTree tree = YamlTree.parse(f.toString(), text, problems);
    var conns = new LinkedHashMap<String, JsonNode>();
    JsonNode root = tree.root();
    JsonNode c = root.get("connections");
    if (c != null && !c.isObject()) {
      problems.add(tree.problem("connections", "expected a mapping of connection names"));
    } else if (c != null) {
      c.fields()
          .forEachRemaining(e -> {
            String path = "connections." + e.getKey();
            JsonNode v = e.getValue();
            if (!v.isObject()) {
              problems.add(
                  tree.problem(
                      path, "a connection is a mapping, e.g. `url: jdbc:duckdb:warehouse.duckdb`"));
              return;
            }
            String type = v.path("type").asText(ConnectionConfig.JDBC);
            List<String> keys;
            if (type.equals(ConnectionConfig.JDBC)) {
              keys = JDBC_KEYS;
              if (!v.hasNonNull("url")) {
                problems.add(
                    tree.problem(
                        path,
                        "a connection needs at least a url, e.g. `url:"
                            + " jdbc:duckdb:warehouse.duckdb` (or `type: s3` for object storage)"));
                return;
              }
              JsonNode pool = v.get("poolSize");
              if (pool != null && !(pool.canConvertToInt() && pool.asInt() > 0)) {
                problems.add(
                    tree.problem(
                        path + ".poolSize",
                        "poolSize must be a whole number of at least 1, e.g. `poolSize: 4`; got '"
                            + pool.asText()
                            + "'"));
              }
            } else if (type.equals(ConnectionConfig.S3)) {
              keys = S3_KEYS;
            } else if (type.equals(ConnectionConfig.SFTP)) {
              keys = SFTP_KEYS;
              if (!v.hasNonNull("host") || !v.hasNonNull("user")) {
                problems.add(
                    tree.problem(
                        path,
                        "an sftp connection needs a host and a user, e.g. `host: files.example.com`"
                            + " and `user: etl`"));
                return;
              }
            } else if (BROKER_KEYS.containsKey(type)) {
              keys = BROKER_KEYS.get(type);
              String where = type.equals(ConnectionConfig.KAFKA) ? "bootstrapServers" : "url";
              if (!v.hasNonNull(where)) {
                problems.add(
                    tree.problem(
                        path,
                        "a "
                            + type
                            + " connection needs "
                            + where
                            + ", e.g. "
                            + BROKER_EXAMPLES.get(type)));
                return;
              }
            } else {
              problems.add(
                  tree.problem(
                      path + ".type",
                      "unknown connection type '"
                          + type
                          + "'"
                          + Suggest.didYouMean(type, ConnectionConfig.TYPES)
                          + "; use `type: jdbc` (the default, with a url), `type: s3`, `type:"
                          + " sftp`, `type: rabbitmq`, `type: nats`, `type: mqtt` or `type:"
                          + " kafka`"));
              return;
            }
            v.fieldNames()
                .forEachRemaining(k -> {
                  if (!keys.contains(k)) {
                    problems.add(
                        tree.problem(
                            path + "." + k,
                            "unknown property '"
                                + k
                                + "' for a "
                                + type
                                + " connection"
                                + Suggest.didYouMean(k, keys)
                                + " (known: "
                                + String.join(", ", keys)
                                + ")"));
                  }
                });
            conns.put(e.getKey(), v);
          });
    }
    StagingPolicy staging =
        StagingPolicy.parse(
            root.get("staging"), (path, why) -> problems.add(tree.problem(path, why)));
    if (!problems.isEmpty()) {
      throw new FlowDefinitionException(problems);
    }
    return new ProjectConfig(f, conns, staging);
  }

  /** The file this config was read from, or null when there is none. */
  public Path file() {
    return file;
  }

  /** {@code staging:}, how long finished runs keep their staged datasets. */
  public StagingPolicy staging() {
    return staging;
  }

  public java.util.Set<String> connectionNames() {
    return connections.keySet();
  }

  /**
   * A connection with its templates (secrets) rendered by {@code render}.
   *
   * @throws WeirException naming the known connections when there is no such name
   */
  public ConnectionConfig connection(String name, UnaryOperator<String> render) {
    JsonNode v = connections.get(name);
    if (v == null) {
      throw new WeirException(
          "unknown connection '"
              + name
              + "'"
              + Suggest.didYouMean(name, connections.keySet())
              + (file == null
                  ? "; no weir.yaml was found beside the flow or in a parent directory"
                  : " in " + file + " (known: " + String.join(", ", connections.keySet()) + ")"));
    }
    var props = new LinkedHashMap<String, String>();
    JsonNode p = v.get("properties");
    if (p != null) {
      p.fields().forEachRemaining(e -> props.put(e.getKey(), render.apply(e.getValue().asText())));
    }
    String type = v.path("type").asText(ConnectionConfig.JDBC);
    var settings = new LinkedHashMap<String, String>();
    if (!type.equals(ConnectionConfig.JDBC)) {
      v.fields()
          .forEachRemaining(e -> {
            if (!e.getKey().equals("type") && !e.getKey().equals("properties")) {
              settings.put(e.getKey(), render.apply(e.getValue().asText()));
            }
          });
    }
    return new ConnectionConfig(
        name,
        type,
        v.hasNonNull("url") ? render.apply(v.get("url").asText()) : null,
        v.hasNonNull("user") ? render.apply(v.get("user").asText()) : null,
        v.hasNonNull("password") ? render.apply(v.get("password").asText()) : null,
        props,
        v.path("poolSize").asInt(ConnectionConfig.DEFAULT_POOL_SIZE),
        settings);
  }
}
