package dev.weir.tasks.s3;

import dev.weir.WeirException;
import dev.weir.config.ConnectionConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a node reaches the S3 store of its shared staging, read from the environment: the same
 * settings an S3 connection of weir.yaml has, under {@code WEIR_STAGING_S3_*}. What is not given
 * comes from the AWS SDK's default chains ({@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID}, {@code
 * ~/.aws/config}, an instance role), as for an S3 task without a connection.
 *
 * @param connection the settings as an S3 connection named {@code staging}, for {@link S3Clients}
 */
record S3StagingSettings(ConnectionConfig connection) {
  static final String PREFIX = "WEIR_STAGING_S3_";
  static final String ENDPOINT = PREFIX + "ENDPOINT";
  static final String REGION = PREFIX + "REGION";
  static final String PATH_STYLE = PREFIX + "PATH_STYLE";
  static final String ACCESS_KEY = PREFIX + "ACCESS_KEY";
  static final String SECRET_KEY = PREFIX + "SECRET_KEY";
  static final String SESSION_TOKEN = PREFIX + "SESSION_TOKEN";

  /**
   * @throws WeirException naming the bad variable and an example that works
   */
  static S3StagingSettings from(Map<String, String> env) {
    String endpoint = blankToNull(env.get(ENDPOINT));
    var settings = new LinkedHashMap<String, String>();
    if (endpoint != null) {
      requireUrl(endpoint);
      settings.put("endpoint", endpoint);
    }
    put(settings, "region", env.get(REGION));
    // an endpoint is MinIO, Ceph or s3proxy: their buckets are addressed by path unless told
    String pathStyle = blankToNull(env.get(PATH_STYLE));
    if (pathStyle != null && !pathStyle.equals("true") && !pathStyle.equals("false")) {
      throw new WeirException(PATH_STYLE + " must be true or false, got '" + pathStyle + "'");
    }
    settings.put("pathStyle", pathStyle != null ? pathStyle : String.valueOf(endpoint != null));
    String access = blankToNull(env.get(ACCESS_KEY));
    String secret = blankToNull(env.get(SECRET_KEY));
    if ((access == null) != (secret == null)) {
      throw new WeirException(
          (access == null
                  ? SECRET_KEY + " is set but " + ACCESS_KEY + " is not"
                  : ACCESS_KEY + " is set but " + SECRET_KEY + " is not")
              + "; give both, or neither to use the default AWS credentials (AWS_ACCESS_KEY_ID,"
              + " ~/.aws/credentials, an instance role)");
    }
    put(settings, "accessKey", access);
    put(settings, "secretKey", secret);
    put(settings, "sessionToken", env.get(SESSION_TOKEN));
    return new S3StagingSettings(
        new ConnectionConfig("staging", ConnectionConfig.S3, null, null, null, null, 0, settings));
  }

  /** What logs may show: the endpoint, region, addressing and where the keys come from (no key). */
  String describe() {
    var c = connection;
    return "endpoint "
        + c.setting("endpoint", "AWS")
        + ", region "
        + c.setting("region", c.setting("endpoint", null) != null ? "us-east-1" : "from AWS_REGION")
        + (Boolean.parseBoolean(c.setting("pathStyle", "false")) ? ", path-style" : "")
        + ", credentials "
        + (c.setting("accessKey", null) != null
            ? "from " + ACCESS_KEY + " and " + SECRET_KEY
            : "from the default AWS chain");
  }

  /** How messages name where these settings came from. */
  String source() {
    return connection.setting("accessKey", null) != null
        ? "the " + PREFIX + "* settings"
        : "the " + PREFIX + "* settings and the default AWS credentials";
  }

  /** The values no text may show. */
  java.util.List<String> secrets() {
    var out = new java.util.ArrayList<String>();
    for (String key : ConnectionConfig.SECRET_SETTINGS) {
      String v = connection.setting(key, null);
      if (v != null && !v.isEmpty()) {
        out.add(v);
      }
    }
    return out;
  }

  private static void requireUrl(String endpoint) {
    try {
      URI uri = new URI(endpoint);
      if (uri.getScheme() != null && uri.getHost() != null) {
        return;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new WeirException(
        ENDPOINT
            + " '"
            + endpoint
            + "' is not a URL with scheme and host; write e.g. http://127.0.0.1:9000, or leave it"
            + " out for AWS");
  }

  private static void put(Map<String, String> settings, String key, String value) {
    value = blankToNull(value);
    if (value != null) {
      settings.put(key, value);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
