package dev.weir.tasks.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SftpTransferTest extends SftpFixture {
  @Test
  void upload_then_download_gives_the_same_bytes() throws Exception {
    write(dir, "out/orders.csv", "id,amount\n1,10.5\n");
    TaskResult up =
        ctx.run(
            "up",
            new SftpUploadTask(),
            "{from: out/orders.csv, to: 'sftp://partner/incoming/orders.csv'}");
    assertThat(up.outputs())
        .containsEntry("uri", "sftp://partner/incoming/orders.csv")
        .containsEntry("paths", List.of("/incoming/orders.csv"))
        .containsEntry("count", 1)
        .containsEntry("bytes", 17L);
    assertThat(remote.resolve("incoming/orders.csv")).hasContent("id,amount\n1,10.5\n");
    assertThat(remote.resolve("incoming")).isDirectoryNotContaining("glob:**.weir-tmp");

    TaskResult down =
        ctx.run(
            "down",
            new SftpDownloadTask(),
            "{connection: partner, from: /incoming/orders.csv, to: in/orders.csv}");
    assertThat(dir.resolve("in/orders.csv")).hasContent("id,amount\n1,10.5\n");
    assertThat(dir.resolve("in")).isDirectoryNotContaining("glob:**.part*");
    assertThat(down.outputs())
        .containsEntry("path", dir.resolve("in/orders.csv").toString())
        .containsEntry("count", 1)
        .containsEntry("bytes", 17L);
  }

  @Test
  void an_upload_replaces_a_file_of_the_same_name() throws Exception {
    write(remote, "incoming/orders.csv", "old");
    write(dir, "orders.csv", "new");
    ctx.run("up", new SftpUploadTask(), "{from: orders.csv, to: 'sftp://partner/incoming/'}");
    assertThat(remote.resolve("incoming/orders.csv")).hasContent("new");
  }

  @Test
  void a_directory_goes_up_and_a_glob_comes_down() throws Exception {
    write(dir, "data/a.csv", "a");
    write(dir, "data/sub/b.csv", "b");
    write(dir, "data/notes.txt", "n");
    TaskResult up = ctx.run("up", new SftpUploadTask(), "{from: data, to: 'sftp://partner/drop/'}");
    assertThat(up.outputs())
        .containsEntry("paths", List.of("/drop/a.csv", "/drop/notes.txt", "/drop/sub/b.csv"));
    TaskResult glob =
        ctx.run("down", new SftpDownloadTask(), "{from: 'sftp://partner/drop/**.csv', to: got/}");
    assertThat(glob.outputs()).containsEntry("count", 2);
    assertThat(dir.resolve("got/a.csv")).hasContent("a");
    assertThat(dir.resolve("got/sub/b.csv")).hasContent("b");
    TaskResult one =
        ctx.run("down", new SftpDownloadTask(), "{from: 'sftp://partner/drop/*.csv', to: top/}");
    assertThat(one.outputs()).containsEntry("count", 1);
    TaskResult all =
        ctx.run("down", new SftpDownloadTask(), "{from: 'sftp://partner/drop/', to: all/}");
    assertThat(all.outputs()).containsEntry("count", 3);
  }

  @Test
  void nothing_matching_is_a_permanent_failure_that_says_so() throws Exception {
    assertThatThrownBy(() ->
            ctx.run(
                "down", new SftpDownloadTask(), "{from: 'sftp://partner/none/*.csv', to: got/}"))
        .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("no files match sftp://partner/none/*.csv");
    assertThatThrownBy(
            () -> ctx.run("down", new SftpDownloadTask(), "{from: 'sftp://partner/x.csv', to: x}"))
        .hasMessageContaining("there is no file sftp://partner/x.csv");
  }

  @Test
  void a_connection_dropped_mid_download_is_resumed_from_the_part_file() throws Exception {
    byte[] data = new byte[1 << 20];
    new Random(7).nextBytes(data);
    Files.createDirectories(remote.resolve("big"));
    Files.write(remote.resolve("big/data.bin"), data);
    server.dropOnceAt(300_000);
    String yaml = "{connection: partner, from: /big/data.bin, to: in/data.bin}";
    assertThatThrownBy(() -> ctx.run("down", new SftpDownloadTask(), yaml))
        .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("download of /big/data.bin")
        .hasMessageContaining("127.0.0.1:" + server.port());
    Path part = dir.resolve("in/data.bin.part");
    long partial = Files.size(part);
    assertThat(partial).isBetween(1L, 300_000L + 65_536);
    assertThat(dir.resolve("in/data.bin")).doesNotExist();

    TaskResult retry = ctx.run("down", new SftpDownloadTask(), yaml);
    assertThat(ctx.log())
        .contains("INFO resuming /big/data.bin at byte " + partial + " of " + data.length);
    assertThat(Files.mismatch(dir.resolve("in/data.bin"), remote.resolve("big/data.bin")))
        .isEqualTo(-1);
    assertThat(part).doesNotExist();
    assertThat(dir.resolve("in/data.bin.part.meta")).doesNotExist();
    assertThat(retry.outputs()).containsEntry("bytes", (long) data.length);
    assertThat(retry.audit().bytesRead()).isEqualTo(data.length - partial);
  }

  @Test
  void a_part_file_of_a_changed_remote_file_is_not_continued() throws Exception {
    write(remote, "f.txt", "new content");
    write(dir, "in/f.txt.part", "old");
    write(dir, "in/f.txt.part.meta", "3 0");
    ctx.run("down", new SftpDownloadTask(), "{from: 'sftp://partner/f.txt', to: in/f.txt}");
    assertThat(dir.resolve("in/f.txt")).hasContent("new content");
    assertThat(ctx.log()).noneMatch(l -> l.contains("resuming"));
  }

  @Test
  void an_interrupted_upload_leaves_nothing_under_the_final_name() throws Exception {
    byte[] data = new byte[1 << 20];
    new Random(8).nextBytes(data);
    Files.write(dir.resolve("big.bin"), data);
    server.dropOnceAt(300_000);
    String yaml = "{from: big.bin, to: 'sftp://partner/incoming/big.bin'}";
    assertThatThrownBy(() -> ctx.run("up", new SftpUploadTask(), yaml))
        .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("upload of");
    assertThat(remote.resolve("incoming/big.bin")).doesNotExist();

    ctx.run("up", new SftpUploadTask(), yaml);
    assertThat(Files.mismatch(dir.resolve("big.bin"), remote.resolve("incoming/big.bin")))
        .isEqualTo(-1);
    assertThat(remote.resolve("incoming/.big.bin.weir-tmp")).doesNotExist();
  }
}
