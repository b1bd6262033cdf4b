package dev.weir.tasks.wait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.Reschedule;
import dev.weir.task.TaskFailedException;
import dev.weir.tasks.S3Fixture;
import dev.weir.tasks.SftpTestServer;
import dev.weir.tasks.TestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wait.file on S3 (s3proxy) and SFTP (an in-process MINA SSHD server). */
class WaitFileRemoteTest extends S3Fixture {
  private final WaitFileTask task = new WaitFileTask();

  @TempDir Path remote;

  @Test
  void s3_waits_for_objects_matching_a_glob() throws Exception {
    String yaml = "connection: lake\npath: " + uri("in/2026-12-03/*.csv") + "\ninterval: 10s";
    put("in/2026-12-03/readme.txt", "x");
    assertThatThrownBy(() -> ctx.run("w", task, yaml))
        .isInstanceOf(Reschedule.class)
        .hasMessage("wait.file: no file matches " + uri("in/2026-12-03/*.csv"));
    put("in/2026-12-03/orders.csv", "id\n1\n");
    assertThat(ctx.run("w", task, yaml).outputs())
        .containsEntry("files", List.of(uri("in/2026-12-03/orders.csv")))
        .containsEntry("count", 1);
  }

  @Test
  void s3_a_missing_bucket_fails_at_once() {
    assertThatThrownBy(
            () -> ctx.run("w", task, "connection: lake\npath: s3://no-such-bucket-x/in/*.csv"))
        .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("the bucket does not exist (NoSuchBucket)")
        .hasMessageNotContaining(dev.weir.tasks.S3TestServer.SECRET_KEY);
  }

  @Test
  void s3_an_unreachable_endpoint_is_not_yet() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    var down = server.connection("down");
    var settings = new java.util.HashMap<>(down.settings());
    settings.put("endpoint", "http://127.0.0.1:" + port);
    var c =
        new dev.weir.config.ConnectionConfig(
            "down", down.type(), null, null, null, Map.of(), 0, settings);
    var local = new TestContext(dir).connection(c);
    assertThatThrownBy(() -> local.run("w", task, "connection: down\npath: s3://lake/in/a.csv"))
        .isInstanceOf(Reschedule.class);
    assertThat(local.log()).singleElement().asString().startsWith("WARN wait.file:");
  }

  @Test
  void sftp_waits_for_a_file_in_a_directory() throws Exception {
    try (var sftp = SftpTestServer.start(remote)) {
      var local = new TestContext(dir).connection(sftp.connection("partner", Map.of()));
      String yaml = "path: sftp://partner/outgoing/\ninterval: 10s";
      assertThatThrownBy(() -> local.run("w", task, yaml))
          .isInstanceOf(Reschedule.class)
          .hasMessage("wait.file: no file matches sftp://partner/outgoing/");
      Files.createDirectories(remote.resolve("outgoing"));
      Files.writeString(remote.resolve("outgoing/orders.csv"), "id\n1\n");
      assertThat(local.run("w", task, yaml).outputs())
          .containsEntry("files", List.of("sftp://partner/outgoing/orders.csv"))
          .containsEntry("count", 1);
    }
  }
}
