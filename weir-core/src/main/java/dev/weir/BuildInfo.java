package dev.weir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version, git commit and build time baked into the jar, shared by {@code weir --version} and
 * {@code GET /api/v1/version}.
 *
 * @param version the Maven project version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param commit the abbreviated git commit, or {@code unknown} when built without a {@code .git}
 * @param built when the jar was built (UTC, ISO-8601), or {@code unknown}
 */
public record BuildInfo(String version, String commit, String built) {
  public static final String UNKNOWN = "unknown";
  private static final BuildInfo CURRENT = read();

  public static BuildInfo current() {
    return CURRENT;
  }

  /** "0.1.0-SNAPSHOT (commit abc1234, built 2026-12-02T16:40:00Z)". */
  public String describe() {
    return version + " (commit " + commit + ", built " + built + ")";
  }

  private static BuildInfo read() {
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      return in == null ? new BuildInfo("dev", UNKNOWN, UNKNOWN) : parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BuildInfo parse(InputStream in) throws IOException {
    var p = new Properties();
    p.load(in);
    return new BuildInfo(value(p, "version", "dev"), value(p, "commit"), value(p, "built"));
  }

  private static String value(Properties p, String key) {
    return value(p, key, UNKNOWN);
  }

  /** A value Maven could not fill in stays "${…}": git was missing, say. */
  private static String value(Properties p, String key, String otherwise) {
    String v = p.getProperty(key);
    return v == null || v.isBlank() || v.contains("${") ? otherwise : v.trim();
  }
}
