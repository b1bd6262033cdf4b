package dev.weir.server.cluster;

import dev.weir.WeirException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A node's id when none is given: kept in {@code <home>/node-id}, made at the first start from the
 * host name and a random suffix, so a node keeps its id across restarts with the same home.
 */
final class NodeIds {
  private NodeIds() {}

  static String of(ClusterSettings settings, Path home, String host) {
    if (settings.nodeId() != null) {
      return settings.nodeId();
    }
    Path file = home.resolve("node-id");
    try {
      if (Files.exists(file)) {
        String id = Files.readString(file, StandardCharsets.UTF_8).strip();
        return new ClusterSettings(id, settings.lease(), settings.heartbeat()).nodeId();
      }
      String base = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
      if (base.isEmpty() || !Character.isLetterOrDigit(base.charAt(0))) {
        base = "node" + base;
      }
      byte[] suffix = new byte[3];
      ThreadLocalRandom.current().nextBytes(suffix);
      String id =
          (base.length() > 90 ? base.substring(0, 90) : base)
              + "-"
              + HexFormat.of().formatHex(suffix);
      Files.createDirectories(home);
      Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
      return id;
    } catch (IOException e) {
      throw new WeirException(
          "cannot keep this node's id in " + file + ": " + e.getMessage() + "; pass --node-id", e);
    }
  }
}
