package dev.weir.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.flow.Durations;
import dev.weir.util.Suggest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code logs:} and {@code metrics:} keys of the server config.
 *
 * <pre>
 * logs: {dir: /var/log/weir, retention: 30d, files: true}
 * metrics: {public: false}
 * </pre>
 *
 * @param logDir where run log files go; null for {@code <home>/logs}
 * @param logFiles whether task log lines are also written as JSON-lines files (default true)
 * @param logRetention how long logs are kept after their run ended; null keeps them for ever
 * @param metricsPublic whether {@code /metrics} answers without the bearer token
 */
public record Observability(
    Path logDir, boolean logFiles, Duration logRetention, boolean metricsPublic) {
  public static final Observability DEFAULTS = new Observability(null, true, null, false);
  static final List<String> KEYS = List.of("logs", "metrics");
  private static final List<String> LOG_KEYS = List.of("dir", "retention", "files");
  private static final List<String> METRICS_KEYS = List.of("public");

  public Observability {
    if (logRetention != null && (logRetention.isZero() || logRetention.isNegative())) {
      throw new IllegalArgumentException(
          "logs.retention must be a positive duration such as 30d, got " + logRetention);
    }
  }

  /** The log files' directory for a server whose home is {@code home}. */
  public Path logDir(Path home) {
    return logDir != null ? logDir : home.resolve("logs");
  }

  public Observability withLogRetention(Duration retention) {
    return new Observability(logDir, logFiles, retention, metricsPublic);
  }

  public Observability withMetricsPublic(boolean open) {
    return new Observability(logDir, logFiles, logRetention, open);
  }

  /** Reads {@code logs} and {@code metrics} of a config file; a relative dir is beside it. */
  static Observability parse(JsonNode root, Path base, List<String> problems) {
    JsonNode logs = section(root, "logs", LOG_KEYS, problems);
    JsonNode metrics = section(root, "metrics", METRICS_KEYS, problems);
    Path dir = logs.hasNonNull("dir") ? base.resolve(logs.get("dir").asText()) : null;
    Duration retention = null;
    if (logs.hasNonNull("retention")) {
      try {
        retention = Durations.parse(logs.get("retention").asText());
        if (retention.isZero() || retention.isNegative()) {
          problems.add("logs.retention must be longer than 0, e.g. `retention: 30d`");
          retention = null;
        }
      } catch (RuntimeException e) {
        problems.add("logs.retention: " + e.getMessage() + "; e.g. `retention: 30d`");
      }
    }
    return new Observability(
        dir,
        bool(logs, "files", true, "logs.files", problems),
        retention,
        bool(metrics, "public", false, "metrics.public", problems));
  }

  private static JsonNode section(
      JsonNode root, String name, List<String> keys, List<String> problems) {
    JsonNode n = root.path(name);
    if (n.isMissingNode() || n.isNull()) {
      return n;
    }
    if (!n.isObject()) {
      problems.add(
          name + " must be a mapping, e.g. `logs: {retention: 30d}` or `metrics: {public: true}`");
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    n.fieldNames()
        .forEachRemaining(k -> {
          if (!keys.contains(k)) {
            problems.add(
                "unknown key '"
                    + name
                    + "."
                    + k
                    + "'"
                    + Suggest.didYouMean(k, keys)
                    + " (known: "
                    + keys
                    + ")");
          }
        });
    return n;
  }

  private static boolean bool(
      JsonNode n, String key, boolean dflt, String path, List<String> problems) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isBoolean()) {
      problems.add(path + " must be true or false, got " + v);
      return dflt;
    }
    return v.booleanValue();
  }
}
