package dev.weir.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.weir.WeirException;
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
 * The server's config file ({@code --config}, YAML): {@code host}, {@code port}, {@code db}, {@code
 * flows}, {@code tokens}, {@code pools: {name: size}}, {@code grace}. Every key is optional;
 * command-line options win over it. Unknown keys and bad values fail start-up, all at once.
 */
public record ServerConfigFile(
    String host,
    Integer port,
    String db,
    Path flows,
    List<String> tokens,
    Map<String, Integer> pools,
    Duration grace) {
  static final List<String> KEYS =
      List.of("host", "port", "db", "flows", "tokens", "pools", "grace");

  public static ServerConfigFile empty() {
    return new ServerConfigFile(null, null, null, null, List.of(), Map.of(), null);
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
    Duration grace = null;
    if (root.has("grace")) {
      try {
        grace = dev.weir.flow.Durations.parse(root.get("grace").asText());
      } catch (RuntimeException e) {
        problems.add("grace: " + e.getMessage());
      }
    }
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
        text(root, "db"),
        root.has("flows")
            ? file.toAbsolutePath().getParent().resolve(root.get("flows").asText())
            : null,
        tokens,
        pools,
        grace);
  }

  private static String text(JsonNode root, String key) {
    return root.hasNonNull(key) ? root.get(key).asText() : null;
  }
}
