package dev.weir.tasks.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.task.TaskResult;
import dev.weir.tasks.S3Fixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

class S3TransferTest extends S3Fixture {
  @Test
  void upload_then_download_gives_the_same_bytes() throws Exception {
    write("orders.csv", "id,amount\n1,10.5\n");
    TaskResult up =
        ctx.run(
            "up",
            new S3UploadTask(),
            "{connection: lake, from: orders.csv, to: '" + uri("raw/orders.csv") + "'}");
    assertThat(up.outputs())
        .containsEntry("uri", uri("raw/orders.csv"))
        .containsEntry("bucket", bucket)
        .containsEntry("keys", List.of("raw/orders.csv"))
        .containsEntry("count", 1)
        .containsEntry("bytes", 17L);
    TaskResult down =
        ctx.run(
            "down",
            new S3DownloadTask(),
            "{connection: lake, from: '" + uri("raw/orders.csv") + "', to: in/orders.csv}");
    assertThat(Files.readString(dir.resolve("in/orders.csv"))).isEqualTo("id,amount\n1,10.5\n");
    assertThat(down.outputs())
        .containsEntry("path", dir.resolve("in/orders.csv").toString())
        .containsEntry("count", 1)
        .containsEntry("bytes", 17L);
  }

  @Test
  void a_file_over_the_part_size_goes_up_in_parts_and_comes_back_whole() throws Exception {
    Path big = dir.resolve("big.bin");
    byte[] data = new byte[12 << 20];
    new Random(42).nextBytes(data);
    Files.write(big, data);
    var task = new S3UploadTask(S3Session.MIN_PART_SIZE);
    ctx.run("up", task, "{connection: lake, from: big.bin, to: '" + uri("big.bin") + "'}");
    assertThat(ctx.log()).anyMatch(l -> l.endsWith("(" + data.length + " bytes in 3 parts)"));
    try (S3Client client = S3Clients.create(server.connection("lake"))) {
      // S3 gives a multipart object the ETag md5-of-part-md5s "-" parts
      String etag = client.headObject(b -> b.bucket(bucket).key("big.bin")).eTag();
      assertThat(etag).endsWith("-3\"");
      assertThat(client.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }
    ctx.run(
        "down",
        new S3DownloadTask(),
        "{connection: lake, from: '" + uri("big.bin") + "', to: back.bin}");
    assertThat(Files.mismatch(big, dir.resolve("back.bin"))).isEqualTo(-1);
  }

  @Test
  void a_file_up_to_the_part_size_goes_up_in_one_request() throws Exception {
    Files.write(dir.resolve("small.bin"), new byte[1 << 20]);
    ctx.run(
        "up",
        new S3UploadTask(S3Session.MIN_PART_SIZE),
        "{connection: lake, from: small.bin, to: '" + uri("small.bin") + "'}");
    try (S3Client client = S3Clients.create(server.connection("lake"))) {
      assertThat(client.headObject(b -> b.bucket(bucket).key("small.bin")).eTag())
          .doesNotContain("-");
    }
  }

  @Test
  void a_file_sent_to_a_prefix_keeps_its_name() throws Exception {
    write("orders.csv", "id\n1\n");
    TaskResult up =
        ctx.run(
            "up",
            new S3UploadTask(),
            "{connection: lake, from: orders.csv, to: '" + uri("raw/") + "'}");
    assertThat(up.outputs()).containsEntry("keys", List.of("raw/orders.csv"));
    assertThat(exists("raw/orders.csv")).isTrue();
  }

  @Test
  void a_directory_goes_up_under_a_prefix_and_comes_back_as_the_same_tree() throws Exception {
    write("out/a.csv", "a\n");
    write("out/sub/b.csv", "b\n");
    TaskResult up =
        ctx.run(
            "up",
            new S3UploadTask(),
            "{connection: lake, from: out, to: '" + uri("export/2026-11-21") + "'}");
    assertThat(up.outputs())
        .containsEntry("uri", uri("export/2026-11-21/"))
        .containsEntry("keys", List.of("export/2026-11-21/a.csv", "export/2026-11-21/sub/b.csv"))
        .containsEntry("count", 2);
    TaskResult down =
        ctx.run(
            "down",
            new S3DownloadTask(),
            "{connection: lake, from: '" + uri("export/2026-11-21/") + "', to: copy}");
    assertThat(down.outputs()).containsEntry("count", 2);
    assertThat(Files.readString(dir.resolve("copy/a.csv"))).isEqualTo("a\n");
    assertThat(Files.readString(dir.resolve("copy/sub/b.csv"))).isEqualTo("b\n");
  }

  @Test
  void a_glob_downloads_only_the_matching_objects_of_its_segment() throws Exception {
    put("day=1/a.csv", "a");
    put("day=1/b.json", "b");
    put("day=1/sub/c.csv", "c");
    put("day=2/d.csv", "d");
    TaskResult down =
        ctx.run(
            "down",
            new S3DownloadTask(),
            "{connection: lake, from: '" + uri("day=1/*.csv") + "', to: in/}");
    assertThat(down.outputs())
        .containsEntry("paths", List.of(dir.resolve("in/a.csv").toString()))
        .containsEntry("count", 1);
  }

  @Test
  void a_download_replaces_the_old_file_and_leaves_no_temporary_file() throws Exception {
    put("orders.csv", "new");
    write("in/orders.csv", "old");
    ctx.run(
        "down",
        new S3DownloadTask(),
        "{connection: lake, from: '" + uri("orders.csv") + "', to: in/}");
    assertThat(Files.readString(dir.resolve("in/orders.csv"))).isEqualTo("new");
    try (Stream<Path> files = Files.list(dir.resolve("in"))) {
      assertThat(files).containsExactly(dir.resolve("in/orders.csv"));
    }
  }

  @Test
  void a_prefix_with_nothing_under_it_fails_the_download() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
            ctx.run(
                "down",
                new S3DownloadTask(),
                "{connection: lake, from: '" + uri("none/") + "', to: in/}"))
        .hasMessageStartingWith("s3.download: no objects match " + uri("none/"));
  }
}
