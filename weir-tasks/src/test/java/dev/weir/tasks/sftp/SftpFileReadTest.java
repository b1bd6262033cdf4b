package dev.weir.tasks.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.TestContext;
import dev.weir.tasks.file.FileReadTask;
import dev.weir.tasks.file.FileWriteTask;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** file.read of sftp:// paths, against the in-process server. */
class SftpFileReadTest extends SftpFixture {
  private static final String SCHEMA = "schema: {id: BIGINT, amount: 'DECIMAL(10,2)'}\n";

  @Test
  void reads_a_remote_csv_into_a_dataset() throws Exception {
    write(remote, "out/orders.csv", "id,amount\n1,10.50\n2,7\n");
    TaskResult r =
        ctx.run("orders", new FileReadTask(), "path: sftp://partner/out/orders.csv\n" + SCHEMA);
    assertThat(r.dataset().rowCount()).isEqualTo(2);
    assertThat(r.outputs()).containsEntry("rows", 2L);
    assertThat(r.audit().inputs())
        .singleElement()
        .satisfies(in -> {
          assertThat(in.namespace()).isEqualTo("sftp://127.0.0.1:" + server.port());
          assertThat(in.name()).isEqualTo("/out/orders.csv");
        });
  }

  @Test
  void reads_every_file_a_glob_matches_with_a_connection_named_by_host() throws Exception {
    write(remote, "day/a.csv", "id,amount\n1,1\n2,2\n");
    write(remote, "day/b.csv", "id,amount\n3,3\n");
    write(remote, "day/notes.txt", "not data");
    TaskResult r =
        ctx.run(
            "orders",
            new FileReadTask(),
            "connection: partner\npath: 'sftp://127.0.0.1/day/*.csv'\n" + SCHEMA);
    assertThat(r.dataset().rowCount()).isEqualTo(3);
    assertThat(ctx.log())
        .contains("INFO file.read fetched 2 file(s) matching sftp://127.0.0.1/day/*.csv");
  }

  @Test
  void a_missing_file_fails_for_good_naming_it() {
    assertThatThrownBy(
            () -> ctx.run("orders", new FileReadTask(), "path: sftp://partner/none.csv\n" + SCHEMA))
        .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("there is no file sftp://partner/none.csv");
  }

  @Test
  void an_unknown_connection_or_host_is_named() {
    ctx.connection(server.connection("other", Map.of()));
    assertThatThrownBy(() ->
            ctx.run(
                "orders",
                new FileReadTask(),
                "connection: other\npath: sftp://files.example/a.csv\n" + SCHEMA))
        .hasMessageContaining("names 'files.example', but connection 'other' is host 127.0.0.1");
  }

  @Test
  void file_write_refuses_sftp_paths_and_points_to_sftp_upload() {
    assertThat(
            TestContext.problems(
                new FileWriteTask(), "{dataset: orders, path: 'sftp://partner/out.csv'}"))
        .singleElement()
        .asString()
        .contains("sftp.upload");
  }
}
