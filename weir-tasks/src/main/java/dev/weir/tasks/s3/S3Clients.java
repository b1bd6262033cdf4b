package dev.weir.tasks.s3;

import dev.weir.config.ConnectionConfig;
import dev.weir.task.TaskFailedException;
import java.net.URI;
import java.net.URISyntaxException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds S3 clients from {@code type: s3} connections of weir.yaml, or from the AWS SDK's default
 * chains (environment, profile, instance role) when no connection is named. Every user of S3 in
 * Weir builds its client here so that all of them read a connection the same way.
 */
public final class S3Clients {
  /** The region signed for when a connection names an endpoint but no region (MinIO, s3proxy). */
  static final String ENDPOINT_REGION = "us-east-1";

  private S3Clients() {}

  /**
   * A client for {@code connection}, or for the default chains when it is null.
   *
   * @throws TaskFailedException (permanent) when the connection is not an S3 one or is incomplete
   */
  public static S3Client create(ConnectionConfig connection) {
    S3ClientBuilder builder = S3Client.builder().httpClientBuilder(Apache5HttpClient.builder());
    if (connection == null) {
      return build(builder, "the default AWS region chain (AWS_REGION, ~/.aws/config)");
    }
    requireS3(connection);
    String endpoint = connection.setting("endpoint", null);
    if (endpoint != null) {
      builder.endpointOverride(endpoint(connection, endpoint));
      // S3-compatible stores (MinIO, Ceph, s3proxy) often reject the CRC checksums the SDK sends
      // by default since 2.30; they get Content-MD5 where S3 requires a checksum (DeleteObjects)
      builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED);
      builder.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
      builder.addPlugin(LegacyMd5Plugin.create());
    }
    String region = connection.setting("region", endpoint == null ? null : ENDPOINT_REGION);
    if (region != null) {
      builder.region(Region.of(region));
    }
    builder.forcePathStyle(Boolean.parseBoolean(connection.setting("pathStyle", "false")));
    builder.credentialsProvider(credentials(connection));
    return build(builder, "connection '" + connection.name() + "', which names no region");
  }

  /** How messages name where the client's settings came from. */
  public static String describe(ConnectionConfig connection) {
    return connection == null
        ? "default AWS credentials"
        : "connection '" + connection.name() + "'";
  }

  static void requireS3(ConnectionConfig connection) {
    if (!ConnectionConfig.S3.equals(connection.type())) {
      throw TaskFailedException.permanent(
          "connection '"
              + connection.name()
              + "' is a "
              + connection.type()
              + " connection, not an S3 one; name a connection of type s3 from weir.yaml, e.g."
              + " `lake: {type: s3, region: eu-central-1}`");
    }
  }

  private static URI endpoint(ConnectionConfig connection, String endpoint) {
    try {
      URI uri = new URI(endpoint);
      if (uri.getScheme() != null && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below with the rule and an example
    }
    throw TaskFailedException.permanent(
        "connection '"
            + connection.name()
            + "' has endpoint '"
            + endpoint
            + "', which is not a URL with scheme and host; write e.g. `endpoint:"
            + " http://127.0.0.1:9000`, or leave it out for AWS");
  }

  private static AwsCredentialsProvider credentials(ConnectionConfig connection) {
    String access = connection.setting("accessKey", null);
    String secret = connection.setting("secretKey", null);
    String token = connection.setting("sessionToken", null);
    if (access == null && secret == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    if (access == null || secret == null) {
      throw TaskFailedException.permanent(
          "connection '"
              + connection.name()
              + "' has "
              + (access == null ? "secretKey but no accessKey" : "accessKey but no secretKey")
              + "; give both, e.g. `accessKey: \"{{ secret('LAKE_KEY') }}\"` and `secretKey:"
              + " \"{{ secret('LAKE_SECRET') }}\"`, or neither to use the default AWS"
              + " credentials");
    }
    return StaticCredentialsProvider.create(
        token == null
            ? AwsBasicCredentials.create(access, secret)
            : AwsSessionCredentials.create(access, secret, token));
  }

  private static S3Client build(S3ClientBuilder builder, String regionSource) {
    try {
      return builder.build();
    } catch (SdkClientException e) {
      // the SDK fails at build() when no region can be found anywhere
      throw new TaskFailedException(
          "cannot create an S3 client: no region found through "
              + regionSource
              + "; set `region: eu-central-1` on the S3 connection in weir.yaml, or AWS_REGION"
              + " ("
              + e.getMessage()
              + ")",
          false,
          java.util.Map.of(),
          e);
    }
  }
}
