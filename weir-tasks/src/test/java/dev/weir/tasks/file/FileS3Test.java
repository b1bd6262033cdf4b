package dev.weir.tasks.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.Dataset;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.S3Fixture;
import dev.weir.tasks.TestContext;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** file.read and file.write on s3:// paths. */
class FileS3Test extends S3Fixture {
  private static final String SCHEMA = "schema: {id: BIGINT, amount: 'DECIMAL(10,2)'}\n";

  @Test
  void reads_a_csv_object_into_a_dataset() throws Exception {
    put("raw/orders.csv", "id,amount\n1,10.50\n2,7\n");
    TaskResult r =
        ctx.run(
            "orders",
            new FileReadTask(),
            "connection: lake\npath: " + uri("raw/orders.csv") + "\n" + SCHEMA);
    Dataset d = r.dataset();
    assertThat(d.rowCount()).isEqualTo(2);
    assertThat(d.schema())
        .containsExactly(
            new Dataset.Column("id", "BIGINT"), new Dataset.Column("amount", "DECIMAL(10,2)"));
    assertThat(r.outputs()).containsEntry("rows", 2L).containsEntry("rejected", 0L);
  }

  @Test
  void reads_every_object_a_glob_matches_as_one_dataset() throws Exception {
    put("day=2026-11-01/a.csv", "id,amount\n1,1\n2,2\n");
    put("day=2026-11-01/b.csv", "id,amount\n3,3\n");
    put("day=2026-11-01/notes.txt", "not data");
    put("day=2026-11-02/c.csv", "id,amount\n4,4\n");
    TaskResult r =
        ctx.run(
            "orders",
            new FileReadTask(),
            "connection: lake\npath: " + uri("day=2026-11-01/*.csv") + "\n" + SCHEMA);
    assertThat(r.dataset().rowCount()).isEqualTo(3);
    assertThat(ctx.log())
        .contains("INFO file.read fetched 2 object(s) matching " + uri("day=2026-11-01/*.csv"));
  }

  @Test
  void a_prefix_with_mixed_extensions_asks_for_a_glob() {
    put("in/a.csv", "id\n1\n");
    put("in/b.json", "[]");
    assertThatThrownBy(() ->
            ctx.run("orders", new FileReadTask(), "{connection: lake, path: '" + uri("in/") + "'}"))
        .hasMessage(
            "file.read: "
                + uri("in/")
                + " matches objects with different extensions ("
                + uri("in/a.csv")
                + " and "
                + uri("in/b.json")
                + "); narrow it with a glob, e.g. "
                + uri("in/*.csv")
                + ", or set `format:` to read them all alike");
  }

  @Test
  void rejected_rows_name_the_object_they_came_from() throws Exception {
    put("orders.csv", "id,amount\n1,abc\n");
    assertThatThrownBy(() ->
            ctx.run(
                "orders",
                new FileReadTask(),
                "connection: lake\npath: " + uri("orders.csv") + "\n" + SCHEMA))
        .hasMessageStartingWith("file.read rejected 1 of 1 rows of " + uri("orders.csv") + ",");
  }

  @Test
  void a_missing_object_fails_for_good_naming_it() {
    assertThatThrownBy(() ->
            ctx.run(
                "orders",
                new FileReadTask(),
                "{connection: lake, path: '" + uri("absent.csv") + "'}"))
        .hasMessage(
            "file.read: download of "
                + uri("absent.csv")
                + " with connection 'lake' failed: there is no such object (NoSuchKey); check the"
                + " key, or list what is there with an s3.list task")
        .satisfies(e -> assertThat(((TaskFailedException) e).retryable()).isFalse());
  }

  @Test
  void writes_a_dataset_to_s3_and_reads_it_back() throws Exception {
    Files.writeString(dir.resolve("orders.csv"), "id,amount\n1,10.50\n2,7.25\n");
    ctx.run("orders", new FileReadTask(), "path: orders.csv\n" + SCHEMA);
    for (String ext : new String[] {"parquet", "csv", "jsonl"}) {
      String key = "out/orders." + ext;
      TaskResult w =
          ctx.run(
              "write_" + ext,
              new FileWriteTask(),
              "{dataset: orders, connection: lake, path: '" + uri(key) + "'}");
      assertThat(w.outputs()).containsEntry("rows", 2L).containsEntry("path", uri(key));
      assertThat(exists(key)).isTrue();
      TaskResult back =
          ctx.run(
              "back_" + ext, new FileReadTask(), "{connection: lake, path: '" + uri(key) + "'}");
      assertThat(back.dataset().rowCount()).as(ext).isEqualTo(2);
    }
  }

  @Test
  void validation_keeps_connection_for_s3_paths_and_write_to_one_object() {
    assertThat(
            TestContext.problems(new FileReadTask(), "{path: data/orders.csv, connection: lake}"))
        .containsExactly(
            "connection 'lake' is only used with s3:// paths, and path 'data/orders.csv' is local;"
                + " remove connection, or write e.g. `path: s3://lake/data/orders.csv`");
    assertThat(
            TestContext.problems(
                new FileWriteTask(), "{dataset: shape, path: 's3://lake/out/', connection: lake}"))
        .containsExactly(
            "path 's3://lake/out/' is a prefix or glob, but file.write writes one object; name its"
                + " key, e.g. `path: s3://lake/out/orders.csv`");
  }
}
