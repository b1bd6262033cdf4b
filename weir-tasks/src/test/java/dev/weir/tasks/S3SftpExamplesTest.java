package dev.weir.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.tasks.Examples.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of the file transfer task types: s3.upload, s3.download, s3.list and s3.delete
 * against an s3proxy, and their sftp.* counterparts against an in-process SFTP server.
 */
class S3SftpExamplesTest {
  private static final Path EXAMPLES = Examples.DIR;
  private static S3TestServer s3;
  private static SftpTestServer sftp;
  private static Path sftpRoot;

  @TempDir Path dir;
  private Examples examples;

  @BeforeEach
  void copyExamples() throws Exception {
    examples =
        Examples.copiedTo(
            dir,
            (ctx, example) -> {
              if (example.startsWith("s3")) {
                connectToS3(ctx);
              }
              if (example.startsWith("sftp")) {
                connectToSftp(ctx);
              }
            });
  }

  @AfterAll
  static void stopServers() throws Exception {
    if (s3 != null) {
      s3.close();
    }
    if (sftp != null) {
      sftp.close();
      try (Stream<Path> files = Files.walk(sftpRoot)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * S3 examples use the connection {@code lake} of examples/weir.yaml, whose secrets point at an
   * s3proxy started for them, holding the bucket {@code lake}. (The database connections of the
   * other examples need their own secrets.)
   */
  private void connectToS3(TestContext ctx) throws Exception {
    if (s3 == null) {
      s3 = S3TestServer.start();
      s3.createBucket("lake");
    }
    ctx.connection(
        examples.connection(
            "lake",
            Map.of(
                "LAKE_ENDPOINT", s3.endpoint(),
                "LAKE_KEY", S3TestServer.ACCESS_KEY,
                "LAKE_SECRET", S3TestServer.SECRET_KEY)));
  }

  /**
   * SFTP examples use the connection {@code partner} of examples/weir.yaml, whose secrets point at
   * an in-process MINA SSHD server started for them.
   */
  private void connectToSftp(TestContext ctx) throws Exception {
    if (sftp == null) {
      sftpRoot = Files.createTempDirectory("weir-sftp-examples");
      sftp = SftpTestServer.start(sftpRoot);
    }
    ctx.connection(
        examples.connection(
            "partner",
            Map.of(
                "PARTNER_HOST",
                "127.0.0.1",
                "PARTNER_PORT",
                String.valueOf(sftp.port()),
                "PARTNER_PASSWORD",
                SftpTestServer.PASSWORD,
                "PARTNER_KNOWN_HOSTS",
                sftp.knownHostsLine())));
  }

  @Test
  void s3_upload_example() throws Exception {
    Run run = examples.run("s3.upload.yaml");
    assertThat(run.results().get("orders").outputs())
        .containsEntry("keys", List.of("raw/orders/2026-11-21.csv"));
    assertThat(run.results().get("all_data").outputs())
        .containsEntry(
            "keys", List.of("raw/2026-11-21/customers.csv", "raw/2026-11-21/orders.csv"));
  }

  @Test
  void s3_download_example() throws Exception {
    examples.run("s3.download.yaml");
    Path orders = EXAMPLES.resolve("data/orders.csv");
    assertThat(Files.mismatch(orders, dir.resolve("in/orders.csv"))).isEqualTo(-1);
    assertThat(Files.mismatch(orders, dir.resolve("in/2026-11-21/orders.csv"))).isEqualTo(-1);
    assertThat(dir.resolve("in/2026-11-21/customers.csv")).exists();
  }

  @Test
  void s3_list_example() throws Exception {
    Run run = examples.run("s3.list.yaml");
    assertThat(run.results().get("exported").outputs()).containsEntry("count", 2);
    assertThat(run.results().get("summary").rows()).isEqualTo(1);
  }

  @Test
  void s3_delete_example_can_run_twice() throws Exception {
    assertThat(examples.run("s3.delete.yaml").results().get("cleanup").outputs())
        .containsEntry("count", 2);
    // the second run uploads again, deletes again
    assertThat(examples.run("s3.delete.yaml").results().get("cleanup").outputs())
        .containsEntry("count", 2);
    assertThat(
            s3.blobStore()
                .list(
                    "lake",
                    org.jclouds.blobstore.options.ListContainerOptions.Builder.prefix("tmp/")
                        .recursive()))
        .isEmpty();
  }

  @Test
  void sftp_upload_example() throws Exception {
    Run run = examples.run("sftp.upload.yaml");
    assertThat(run.results().get("orders").outputs())
        .containsEntry("paths", List.of("/incoming/orders-2026-11-21.csv"));
    assertThat(run.results().get("all_data").outputs())
        .containsEntry(
            "paths",
            List.of("/incoming/2026-11-21/customers.csv", "/incoming/2026-11-21/orders.csv"));
    Path orders = EXAMPLES.resolve("data/orders.csv");
    assertThat(Files.mismatch(orders, sftpRoot.resolve("incoming/orders-2026-11-21.csv")))
        .isEqualTo(-1);
  }

  @Test
  void sftp_download_example() throws Exception {
    examples.run("sftp.download.yaml");
    Path orders = EXAMPLES.resolve("data/orders.csv");
    assertThat(Files.mismatch(orders, dir.resolve("in/orders.csv"))).isEqualTo(-1);
    assertThat(Files.mismatch(orders, dir.resolve("in/2026-11-21/orders.csv"))).isEqualTo(-1);
    assertThat(dir.resolve("in/2026-11-21/customers.csv")).exists();
  }

  @Test
  void sftp_list_example() throws Exception {
    Run run = examples.run("sftp.list.yaml");
    assertThat(run.results().get("exported").outputs()).containsEntry("count", 2);
    assertThat(run.results().get("summary").rows()).isEqualTo(1);
  }

  @Test
  void sftp_delete_example_can_run_twice() throws Exception {
    assertThat(examples.run("sftp.delete.yaml").results().get("cleanup").outputs())
        .containsEntry("count", 2);
    assertThat(examples.run("sftp.delete.yaml").results().get("cleanup").outputs())
        .containsEntry("count", 2);
    assertThat(sftpRoot.resolve("tmp/run-1")).isEmptyDirectory();
  }
}
