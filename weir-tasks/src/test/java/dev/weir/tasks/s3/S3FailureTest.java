package dev.weir.tasks.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.config.ConnectionConfig;
import dev.weir.task.TaskFailedException;
import dev.weir.tasks.S3Fixture;
import dev.weir.tasks.TestContext;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class S3FailureTest extends S3Fixture {
  private static TaskFailedException failure(Throwable t) {
    return (TaskFailedException) t;
  }

  @Test
  void a_wrong_secret_key_fails_for_good_without_showing_the_key() throws Exception {
    String canary = "canary-" + UUID.randomUUID();
    put("orders.csv", "x");
    ctx.connection(server.connection("bad", canary));
    assertThatThrownBy(() ->
            ctx.run(
                "down",
                new S3DownloadTask(),
                "{connection: bad, from: '" + uri("orders.csv") + "', to: in.csv}"))
        .isInstanceOf(TaskFailedException.class)
        .hasMessage(
            "s3.download: download of "
                + uri("orders.csv")
                + " with connection 'bad' failed: S3 refused the credentials"
                + " (SignatureDoesNotMatch); check accessKey and secretKey of the connection in"
                + " weir.yaml")
        .satisfies(e -> assertThat(failure(e).retryable()).isFalse())
        .satisfies(e -> {
          for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(canary);
          }
        });
  }

  @Test
  void a_missing_bucket_is_named_and_not_retried() {
    assertThatThrownBy(() ->
            ctx.run(
                "list",
                new S3ListTask(),
                "{connection: lake, path: 's3://no-such-bucket/orders/'}"))
        .hasMessage(
            "s3.list: listing of s3://no-such-bucket/orders/ with connection 'lake' failed: the"
                + " bucket does not exist (NoSuchBucket); check its name")
        .satisfies(e -> assertThat(failure(e).retryable()).isFalse());
  }

  @Test
  void a_missing_key_is_named_and_not_retried() {
    assertThatThrownBy(() ->
            ctx.run(
                "down",
                new S3DownloadTask(),
                "{connection: lake, from: '" + uri("absent.csv") + "', to: in.csv}"))
        .hasMessage(
            "s3.download: download of "
                + uri("absent.csv")
                + " with connection 'lake' failed: there is no such object (NoSuchKey); check the"
                + " key, or list what is there with an s3.list task")
        .satisfies(e -> assertThat(failure(e).retryable()).isFalse());
  }

  @Test
  void a_jdbc_connection_where_an_s3_one_is_expected_is_a_clear_error() {
    ctx.connection("warehouse", "jdbc:duckdb:");
    assertThatThrownBy(() ->
            ctx.run("list", new S3ListTask(), "{connection: warehouse, path: '" + uri("") + "'}"))
        .hasMessage(
            "connection 'warehouse' is a jdbc connection, not an S3 one; name a connection of type"
                + " s3 from weir.yaml, e.g. `lake: {type: s3, region: eu-central-1}`")
        .satisfies(e -> assertThat(failure(e).retryable()).isFalse());
  }

  @Test
  void an_unreachable_endpoint_is_a_retryable_connection_failure() throws Exception {
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ctx.connection(
        new ConnectionConfig(
            "down",
            "s3",
            null,
            null,
            null,
            Map.of(),
            0,
            Map.of("endpoint", "http://127.0.0.1:" + port, "accessKey", "a", "secretKey", "b")));
    assertThatThrownBy(
            () -> ctx.run("list", new S3ListTask(), "{connection: down, path: '" + uri("") + "'}"))
        .hasMessageStartingWith(
            "s3.list: listing of " + uri("") + " with connection 'down' failed: could not reach S3")
        .satisfies(e -> assertThat(failure(e).retryable()).isTrue())
        .satisfies(e -> assertThat(failure(e).connectionFailure()).isTrue());
  }

  @Test
  void half_given_credentials_are_a_clear_error() {
    ctx.connection(
        new ConnectionConfig(
            "half",
            "s3",
            null,
            null,
            null,
            Map.of(),
            0,
            Map.of("endpoint", server.endpoint(), "accessKey", "a")));
    assertThatThrownBy(
            () -> ctx.run("list", new S3ListTask(), "{connection: half, path: '" + uri("") + "'}"))
        .hasMessageStartingWith("connection 'half' has accessKey but no secretKey; give both");
  }

  @Test
  void validation_names_bad_addresses_and_local_paths_in_the_wrong_place() {
    assertThat(TestContext.problems(new S3UploadTask(), "{from: s3://lake/a.csv, to: out/a.csv}"))
        .containsExactly(
            "from 's3://lake/a.csv' is an S3 address, but from is a local path here; write e.g."
                + " `from: out/orders.parquet`",
            "to: 'out/a.csv' is not an S3 address; write s3://bucket/key, e.g."
                + " s3://lake/orders.csv");
    assertThat(TestContext.problems(new S3UploadTask(), "{from: a.csv, to: 's3://lake/*.csv'}"))
        .containsExactly(
            "to 's3://lake/*.csv' holds a glob character (*, ? or [), which S3 would take"
                + " literally; write a key or a prefix, e.g. `to: s3://lake/orders/`");
    assertThat(
            TestContext.problems(
                new S3DownloadTask(), "{from: \"s3://lake/{{ inputs.day }}.csv\", to: in.csv}"))
        .isEmpty();
  }
}
