package dev.weir.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.WeirException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `weir server` refuses of the cluster options, in the words a user sees, and node ids. */
class ClusterSettingsTest {
  @TempDir Path home;

  @Test
  void a_node_id_with_spaces_or_slashes_is_refused_saying_what_is_allowed() {
    assertThatThrownBy(() -> new ClusterSettings("n 1/a", null, null))
        .isInstanceOf(WeirException.class)
        .hasMessage(
            "node id 'n 1/a' is not valid: use letters, digits, '.', '_' and '-' (at most 100),"
                + " starting with a letter or digit");
  }

  @Test
  void a_heartbeat_longer_than_a_third_of_the_lease_is_refused() {
    assertThatThrownBy(
            () -> new ClusterSettings("n1", Duration.ofSeconds(30), Duration.ofSeconds(20)))
        .isInstanceOf(WeirException.class)
        .hasMessage(
            "the heartbeat (20s) must be positive and at most a third of the lease (30s), so that"
                + " a node renews its lease several times before it runs out");
    assertThatThrownBy(() -> new ClusterSettings("n1", Duration.ofSeconds(30), Duration.ZERO))
        .hasMessageStartingWith("the heartbeat (0s) must be positive");
  }

  @Test
  void a_node_without_an_id_keeps_the_one_made_at_its_first_start() throws Exception {
    String first = NodeIds.of(ClusterSettings.DEFAULTS, home, "Build Host.local");
    assertThat(first).matches("build-host\\.local-[0-9a-f]{6}");
    assertThat(NodeIds.of(ClusterSettings.DEFAULTS, home, "another")).isEqualTo(first);
    assertThat(NodeIds.of(new ClusterSettings("given", null, null), home, "x")).isEqualTo("given");

    Files.writeString(home.resolve("node-id"), "bad id\n");
    assertThatThrownBy(() -> NodeIds.of(ClusterSettings.DEFAULTS, home, "x"))
        .hasMessageStartingWith("node id 'bad id' is not valid");
  }

  @Test
  void staging_is_a_directory_made_absolute_or_an_s3_address_checked_at_start() {
    StagingLocation dir = StagingLocation.parse("shared/staging", p -> home.resolve(p));
    assertThat(dir.isS3()).isFalse();
    assertThat(dir.dir()).isEqualTo(home.resolve("shared/staging"));

    StagingLocation s3 = StagingLocation.parse("s3://lake/weir-staging", p -> p);
    assertThat(s3.isS3()).isTrue();
    assertThat(s3.s3()).isEqualTo("s3://lake/weir-staging");

    assertThatThrownBy(() -> StagingLocation.parse("s3://Lake_1/staging", p -> p))
        .isInstanceOf(WeirException.class)
        .hasMessage(
            "--staging: in 's3://Lake_1/staging': 'Lake_1' is not a bucket name: 3 to 63"
                + " lower-case letters, digits, '.' or '-'; write e.g."
                + " s3://lake/orders/2026-11-21.csv");
  }

  @Test
  void s3_staging_settings_that_are_half_given_stop_the_node_naming_the_variable() {
    var location = StagingLocation.parse("s3://lake/weir-staging", p -> p);
    assertThatThrownBy(() ->
            StagingLocation.open(
                location, home, java.util.Map.of("WEIR_STAGING_S3_ACCESS_KEY", "AKIA")))
        .isInstanceOf(WeirException.class)
        .hasMessage(
            "WEIR_STAGING_S3_ACCESS_KEY is set but WEIR_STAGING_S3_SECRET_KEY is not; give both,"
                + " or neither to use the default AWS credentials (AWS_ACCESS_KEY_ID,"
                + " ~/.aws/credentials, an instance role)");
    assertThatThrownBy(() ->
            StagingLocation.open(
                location, home, java.util.Map.of("WEIR_STAGING_S3_ENDPOINT", "minio:9000")))
        .hasMessage(
            "WEIR_STAGING_S3_ENDPOINT 'minio:9000' is not a URL with scheme and host; write e.g."
                + " http://127.0.0.1:9000, or leave it out for AWS");
  }
}
