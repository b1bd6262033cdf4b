package dev.weir.tasks.wait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.Reschedule;
import dev.weir.tasks.TestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wait.file on the local disk. */
class WaitFileTaskTest {
  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

  @TempDir Path dir;

  private final WaitFileTask task = new WaitFileTask();

  private Path write(String name, Instant modified) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, "id\n1\n");
    Files.setLastModifiedTime(p, FileTime.from(modified));
    return p;
  }

  @Test
  void waits_for_a_file_then_names_it() throws Exception {
    var ctx = new TestContext(dir);
    assertThatThrownBy(() -> ctx.run("w", task, "path: in/orders.csv\ninterval: 1m"))
        .isInstanceOfSatisfying(
            Reschedule.class,
            r -> {
              assertThat(r.recheckIn()).isEqualTo(Duration.ofMinutes(1));
              assertThat(r.getMessage()).isEqualTo("wait.file: no file matches in/orders.csv");
            });
    Path file = write("in/orders.csv", NOW);
    assertThat(ctx.run("w", task, "path: in/orders.csv").outputs())
        .containsEntry("files", List.of(file.toAbsolutePath().toString()))
        .containsEntry("count", 1);
  }

  @Test
  void a_glob_and_min_count() throws Exception {
    var ctx = new TestContext(dir);
    write("in/a.csv", NOW);
    write("in/.b.csv", NOW); // hidden: on its way
    write("in/sub/c.csv", NOW);
    write("in/d.json", NOW);
    assertThatThrownBy(() -> ctx.run("w", task, "path: in/*.csv\nminCount: 2"))
        .isInstanceOf(Reschedule.class)
        .hasMessage("wait.file: 1 file(s) match in/*.csv, waiting for 2 files");
    assertThat(ctx.run("w", task, "path: in/**/*.csv\nminCount: 2").outputs())
        .containsEntry("count", 2);
    assertThat(ctx.run("w", task, "path: in/").outputs()).containsEntry("count", 3);
    assertThat(ctx.run("w", task, "path: " + dir.resolve("in") + "/*.json").outputs())
        .containsEntry("count", 1);
  }

  @Test
  void stable_for_leaves_out_files_modified_lately() throws Exception {
    var ctx = new TestContext(dir).clock(InstantSource.fixed(NOW));
    write("in/old.csv", NOW.minusSeconds(600));
    write("in/new.csv", NOW.minusSeconds(10));
    assertThatThrownBy(() -> ctx.run("w", task, "path: in/*.csv\nminCount: 2\nstableFor: 1m"))
        .isInstanceOf(Reschedule.class)
        .hasMessage(
            "wait.file: 2 file(s) match in/*.csv but only 1 unchanged for 1m (stableFor),"
                + " waiting for 2 files");
    assertThat(ctx.run("w", task, "path: in/*.csv\nstableFor: 1m").outputs())
        .containsEntry("files", List.of(dir.resolve("in/old.csv").toAbsolutePath().toString()));
  }

  @Test
  void validation() {
    assertThat(TestContext.problems(task, "path: ftp://x/y"))
        .singleElement()
        .asString()
        .contains("is not a local path, an s3:// or an sftp:// address");
    assertThat(TestContext.problems(task, "path: a.csv\nconnection: lake"))
        .singleElement()
        .asString()
        .contains("is local; remove connection");
    assertThat(TestContext.problems(task, "path: a.csv\nminCount: 0"))
        .containsExactly("minCount must be at least 1, got 0");
    assertThat(TestContext.problems(task, "path: s3://X/a"))
        .singleElement()
        .asString()
        .startsWith("path:");
  }
}
