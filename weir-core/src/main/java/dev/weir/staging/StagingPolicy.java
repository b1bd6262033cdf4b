package dev.weir.staging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.flow.Durations;
import dev.weir.util.Suggest;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * How long the staged datasets of finished runs are kept ({@code staging:} in {@code weir.yaml} or
 * the server's config).
 *
 * <pre>
 * staging:
 *   retention: 7d     # no finished run keeps its staging longer than this after it ended
 *   keepFailed: true  # failed and cancelled runs keep theirs for the retention, for `weir retry`
 * </pre>
 *
 * <p>A succeeded run's staging goes as soon as a newer run of its flow exists: nothing can reuse it
 * then ({@code weir retry} takes failed runs, {@code weir run --task/--from} the latest run). Runs
 * that have not ended keep theirs however old.
 *
 * @param retention how long after its end a run's staging is kept at most; zero deletes it when the
 *     run ends
 * @param keepFailed whether failed and cancelled runs keep their staging for the whole retention
 *     even when a newer run exists
 */
public record StagingPolicy(Duration retention, boolean keepFailed) {
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
  public static final StagingPolicy DEFAULT = new StagingPolicy(DEFAULT_RETENTION, true);
  private static final List<String> KEYS = List.of("retention", "keepFailed");

  public StagingPolicy {
    if (retention == null || retention.isNegative()) {
      throw new IllegalArgumentException(
          "staging.retention must be a duration of 0 or more such as 7d, got " + retention);
    }
  }

  public StagingPolicy withRetention(Duration d) {
    return new StagingPolicy(d, keepFailed);
  }

  /**
   * Reads a {@code staging:} mapping; null or missing gives {@link #DEFAULT}.
   *
   * @param problem told (path below {@code staging}, message) of each bad key or value
   */
  public static StagingPolicy parse(JsonNode node, BiConsumer<String, String> problem) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return DEFAULT;
    }
    if (!node.isObject()) {
      problem.accept(
          "staging", "expected a mapping like `staging: {retention: 7d, keepFailed: true}`");
      return DEFAULT;
    }
    node.fieldNames()
        .forEachRemaining(k -> {
          if (!KEYS.contains(k)) {
            problem.accept(
                "staging." + k,
                "unknown property '"
                    + k
                    + "'"
                    + Suggest.didYouMean(k, KEYS)
                    + " (known: "
                    + String.join(", ", KEYS)
                    + ")");
          }
        });
    Duration retention = DEFAULT_RETENTION;
    JsonNode r = node.get("retention");
    if (r != null && !r.isNull()) {
      try {
        retention = Durations.parse(r.asText());
        if (retention.isNegative()) {
          throw new IllegalArgumentException("negative");
        }
      } catch (RuntimeException e) {
        problem.accept(
            "staging.retention",
            "'"
                + r.asText()
                + "' is not a duration; use e.g. `retention: 7d` ("
                + Durations.EXAMPLES
                + "), or 0s to delete a run's staging as soon as it can't be reused");
        retention = DEFAULT_RETENTION;
      }
    }
    boolean keepFailed = true;
    JsonNode k = node.get("keepFailed");
    if (k != null && !k.isNull()) {
      if (!k.isBoolean()) {
        problem.accept("staging.keepFailed", "expected true or false, got '" + k.asText() + "'");
      } else {
        keepFailed = k.asBoolean();
      }
    }
    return new StagingPolicy(retention, keepFailed);
  }

  @Override
  public String toString() {
    return "retention " + Durations.format(retention) + ", keepFailed " + keepFailed;
  }
}
