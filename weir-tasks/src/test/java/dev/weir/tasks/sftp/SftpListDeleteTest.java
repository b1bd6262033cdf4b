package dev.weir.tasks.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.task.TaskResult;
import dev.weir.tasks.TestContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class SftpListDeleteTest extends SftpFixture {
  @Test
  void list_finds_files_below_a_directory_and_stages_a_dataset() throws Exception {
    write(remote, "out/a.csv", "aa");
    write(remote, "out/day/b.csv", "bbb");
    write(remote, "out/c.txt", "c");
    TaskResult all =
        ctx.run("list", new SftpListTask(), "{path: 'sftp://partner/out', dataset: true}");
    assertThat(all.outputs())
        .containsEntry("paths", List.of("/out/a.csv", "/out/c.txt", "/out/day/b.csv"))
        .containsEntry("count", 3)
        .containsEntry("bytes", 6L);
    assertThat(all.dataset().rowCount()).isEqualTo(3);
    TaskResult csv = ctx.run("list", new SftpListTask(), "{path: 'sftp://partner/out/*.csv'}");
    assertThat(csv.outputs()).containsEntry("paths", List.of("/out/a.csv"));
  }

  @Test
  void delete_removes_what_is_selected_and_succeeds_again_when_it_is_gone() throws Exception {
    write(remote, "tmp/a.csv", "a");
    write(remote, "tmp/b.csv", "b");
    write(remote, "keep.csv", "k");
    String yaml = "{connection: partner, paths: [/tmp/, /gone.csv]}";
    TaskResult first = ctx.run("rm", new SftpDeleteTask(), yaml);
    assertThat(first.outputs())
        .containsEntry("deleted", List.of("/tmp/a.csv", "/tmp/b.csv"))
        .containsEntry("missing", 1);
    TaskResult again = ctx.run("rm", new SftpDeleteTask(), yaml);
    assertThat(again.outputs()).containsEntry("count", 0);
    assertThat(remote.resolve("keep.csv")).exists();
    assertThat(remote.resolve("tmp")).isEmptyDirectory();
  }

  @Test
  void delete_refuses_the_whole_server() {
    assertThat(TestContext.problems(new SftpDeleteTask(), "{path: 'sftp://partner/'}"))
        .singleElement()
        .asString()
        .contains("would delete every file on the server");
    assertThat(TestContext.problems(new SftpDeleteTask(), "{path: /tmp/x.csv}"))
        .singleElement()
        .asString()
        .contains("names no server");
  }
}
