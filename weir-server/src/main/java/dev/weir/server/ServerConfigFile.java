package dev.weir.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.weir.WeirException;
import dev.weir.engine.gate.CircuitBreakers;
import dev.weir.lineage.LineageConfig;
import dev.weir.server.alerts.AlertSettings;
import dev.weir.store.StoreAddress;
import dev.weir.util.Suggest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's config file ({@code --config}, YAML): {@code host}, {@code port}, {@code db} (a JDBC
 * URL, or {@code {url, user, password}} where each may use {@code secret('NAME')}), {@code flows},
 * {@code tokens}, {@code pools: {name: size}}, {@code circuitBreaker: {failures, openFor}}, {@code
 * grace}, {@code lineage: {file} | {url, apiKey}}, {@code logs: {dir, retention, files}}, {@code
 * metrics: {public}} ({@link Observability}), {@code alerts: {baseUrl, throttle, smtp: {…}, …}}.
 * Every key is optional; command-line options win over it. Unknown keys and bad values fail
 * start-up, all at once.
 */
public record ServerConfigFile(
    String host,
    Integer port,
    StoreAddress db,
    Path flows,
    List<String> tokens,
    Map<String, Integer> pools,
    CircuitBreakers.Settings circuitBreaker,
    Duration grace,
    LineageConfig lineage,
    Observability observability,
    AlertSettings alerts) {
  static final List<String> KEYS =
      List.of(
          "host",
          "port",
          "db",
          "flows",
          "tokens",
          "pools",
          "circuitBreaker",
          "grace",
          "lineage",
          "logs",
          "metrics",
          "alerts");
  static final List<String> BREAKER_KEYS = List.of("failures", "openFor");

  public static ServerConfigFile empty() {
    return new ServerConfigFile(
        null,
        null,
        null,
        null,
        List.of(),
        Map.of(),
        CircuitBreakers.Settings.DEFAULTS,
        null,
        null,
        Observability.DEFAULTS,
        AlertSettings.DEFAULTS);
  }

  public static ServerConfigFile load(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
    } catch (IOException e) {
      throw new WeirException("cannot read server config " + file + ": " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return empty();
    }
    var problems = new ArrayList<String>();
    root.fieldNames()
        .forEachRemaining(k -> {
          if (!KEYS.contains(k)) {
            problems.add(
                "unknown key '" + k + "'" + Suggest.didYouMean(k, KEYS) + " (known: " + KEYS + ")");
          }
        });
    Integer port = null;
    if (root.has("port")) {
      if (root.get("port").canConvertToInt()
          && root.get("port").intValue() >= 0
          && root.get("port").intValue() <= 65535) {
        port = root.get("port").intValue();
      } else {
        problems.add("port must be a number 0..65535, got " + root.get("port"));
      }
    }
    var tokens = new ArrayList<String>();
    root.path("tokens").forEach(t -> tokens.add(t.asText()));
    var pools = new LinkedHashMap<String, Integer>();
    root.path("pools")
        .properties()
        .forEach(e -> {
          if (e.getValue().canConvertToInt() && e.getValue().intValue() >= 1) {
            pools.put(e.getKey(), e.getValue().intValue());
          } else {
            problems.add(
                "pools."
                    + e.getKey()
                    + " must be a whole number ≥ 1, e.g. `"
                    + e.getKey()
                    + ": 4`");
          }
        });
    CircuitBreakers.Settings breaker = circuitBreaker(root.path("circuitBreaker"), problems);
    Duration grace = null;
    if (root.has("grace")) {
      try {
        grace = dev.weir.flow.Durations.parse(root.get("grace").asText());
      } catch (RuntimeException e) {
        problems.add("grace: " + e.getMessage());
      }
    }
    StoreAddress db = StoreConfig.parse(root.get("db"), problems);
    LineageConfig lineage = lineage(root.path("lineage"), file, problems);
    Observability observability =
        Observability.parse(root, file.toAbsolutePath().getParent(), problems);
    AlertSettings alerts = AlertSettings.parse(root.get("alerts"), problems);
    if (!problems.isEmpty()) {
      throw new WeirException(
          "server config "
              + file
              + " has "
              + problems.size()
              + " problem(s):\n  "
              + String.join("\n  ", problems));
    }
    return new ServerConfigFile(
        text(root, "host"),
        port,
        db,
        root.has("flows")
            ? file.toAbsolutePath().getParent().resolve(root.get("flows").asText())
            : null,
        tokens,
        pools,
        breaker,
        grace,
        lineage,
        observability,
        alerts);
  }

  /**
   * {@code lineage: {file: events.jsonl}} (relative to the config file) or {@code lineage: {url:
   * http://marquez:5000, apiKey: ...}}; null without the key.
   */
  private static LineageConfig lineage(JsonNode node, Path file, List<String> problems) {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    String example =
        "e.g. `lineage: {file: lineage.jsonl}` or `lineage: {url: http://marquez:5000}`";
    if (!node.isObject()) {
      problems.add("lineage must be a mapping, " + example);
      return null;
    }
    List<String> known = List.of("file", "url", "apiKey");
    node.fieldNames()
        .forEachRemaining(k -> {
          if (!known.contains(k)) {
            problems.add(
                "unknown key 'lineage."
                    + k
                    + "'"
                    + Suggest.didYouMean(k, known)
                    + " (known: "
                    + known
                    + ")");
          }
        });
    String target = text(node, "file");
    String url = text(node, "url");
    if ((target == null) == (url == null)) {
      problems.add("lineage needs exactly one of file and url, " + example);
      return null;
    }
    if (target != null) {
      return LineageConfig.toFile(file.toAbsolutePath().getParent().resolve(target));
    }
    java.net.URI uri;
    try {
      uri = java.net.URI.create(url);
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null
        || uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      problems.add("lineage.url must be an http(s) URL, got '" + url + "'; " + example);
      return null;
    }
    return LineageConfig.toUrl(uri, text(node, "apiKey"));
  }

  /** {@code circuitBreaker: {failures: 5, openFor: 60s}}; each key defaults on its own. */
  private static CircuitBreakers.Settings circuitBreaker(JsonNode node, List<String> problems) {
    var defaults = CircuitBreakers.Settings.DEFAULTS;
    if (node.isMissingNode() || node.isNull()) {
      return defaults;
    }
    if (!node.isObject()) {
      problems.add(
          "circuitBreaker must be a mapping, e.g. `circuitBreaker: {failures: 5, openFor: 60s}`");
      return defaults;
    }
    node.fieldNames()
        .forEachRemaining(k -> {
          if (!BREAKER_KEYS.contains(k)) {
            problems.add(
                "unknown key 'circuitBreaker."
                    + k
                    + "'"
                    + Suggest.didYouMean(k, BREAKER_KEYS)
                    + " (known: "
                    + BREAKER_KEYS
                    + ")");
          }
        });
    int failures = defaults.failures();
    JsonNode f = node.get("failures");
    if (f != null) {
      if (f.canConvertToInt() && f.isIntegralNumber() && f.intValue() >= 1) {
        failures = f.intValue();
      } else {
        problems.add(
            "circuitBreaker.failures must be a whole number ≥ 1, got "
                + f
                + "; e.g. `failures: 5`");
      }
    }
    Duration openFor = defaults.openFor();
    JsonNode o = node.get("openFor");
    if (o != null) {
      try {
        openFor = dev.weir.flow.Durations.parse(o.asText());
        if (openFor.isZero() || openFor.isNegative()) {
          problems.add("circuitBreaker.openFor must be longer than 0, e.g. `openFor: 60s`");
          openFor = defaults.openFor();
        }
      } catch (RuntimeException e) {
        problems.add("circuitBreaker.openFor: " + e.getMessage());
      }
    }
    return new CircuitBreakers.Settings(failures, openFor);
  }

  private static String text(JsonNode root, String key) {
    return root.hasNonNull(key) ? root.get(key).asText() : null;
  }
}
