package dev.weir.config;

import java.util.Map;

/**
 * A named database connection from {@code weir.yaml}; {@link #toString()} never shows the password.
 */
public record ConnectionConfig(
    String name, String url, String user, String password, Map<String, String> properties) {
  public ConnectionConfig {
    properties = properties == null ? Map.of() : Map.copyOf(properties);
  }

  @Override
  public String toString() {
    return "ConnectionConfig[name="
        + name
        + ", url="
        + url
        + ", user="
        + user
        + ", password="
        + (password == null ? "none" : "******")
        + "]";
  }
}
