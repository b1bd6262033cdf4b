package dev.weir.tasks.s3;

import dev.weir.task.TaskContext;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deletes objects: by key, under a prefix, or matching a glob. Deleting an object that is not there
 * succeeds, so the task can run again.
 */
public final class S3DeleteTask implements TaskType<S3DeleteTask.Config> {
  /**
   * @param path one address: a key, a prefix ending in /, or a glob
   * @param paths several such addresses; give path or paths
   * @param connection an S3 connection from weir.yaml; the default AWS chains when absent
   */
  public record Config(String path, List<String> paths, String connection) {
    List<String> all() {
      return path != null ? List.of(path) : paths == null ? List.of() : paths;
    }
  }

  @Override
  public String name() {
    return "s3.delete";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> validate(Config config) {
    var problems = new ArrayList<String>();
    if ((config.path() == null) == (config.paths() == null || config.paths().isEmpty())) {
      problems.add(
          (config.path() == null ? "neither path nor paths is given" : "both path and paths are")
              + "; give one: `path: s3://lake/tmp/` or `paths: [s3://lake/a.csv,"
              + " s3://lake/b.csv]`");
    }
    for (String p : config.all()) {
      S3Path parsed = S3Checks.address(config.path() != null ? "path" : "paths", p, problems);
      if (parsed != null && parsed.key().isEmpty()) {
        problems.add(wholeBucket(p, parsed));
      }
    }
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    var byBucket = new LinkedHashMap<String, Set<String>>();
    try (S3Session s3 = S3Session.open(context, name(), config.connection())) {
      for (String p : config.all()) {
        S3Path path = S3Checks.parse(name(), "path", p);
        if (path.key().isEmpty()) {
          throw dev.weir.task.TaskFailedException.permanent("s3.delete: " + wholeBucket(p, path));
        }
        Set<String> keys = byBucket.computeIfAbsent(path.bucket(), b -> new LinkedHashSet<>());
        if (path.isObject()) {
          keys.add(path.key());
        } else {
          s3.select(path).forEach(e -> keys.add(e.key()));
        }
      }
      for (Map.Entry<String, Set<String>> e : byBucket.entrySet()) {
        s3.delete(e.getKey(), List.copyOf(e.getValue()));
      }
    }
    var uris = new ArrayList<String>();
    byBucket.forEach(
        (bucket, keys) -> keys.forEach(k -> uris.add(new S3Path(bucket, k).toString())));
    context.logger().info("deleted " + uris.size() + " object(s)");
    var outputs = new LinkedHashMap<String, Object>();
    outputs.put("deleted", uris);
    outputs.put("count", uris.size());
    return TaskResult.of(outputs);
  }

  private static String wholeBucket(String value, S3Path path) {
    return "'"
        + value
        + "' would delete every object in bucket '"
        + path.bucket()
        + "'; name a prefix, e.g. s3://"
        + path.bucket()
        + "/tmp/, or write s3://"
        + path.bucket()
        + "/** if the whole bucket is meant";
  }
}
