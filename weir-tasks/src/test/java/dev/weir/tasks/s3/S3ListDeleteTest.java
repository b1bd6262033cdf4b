package dev.weir.tasks.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.task.Dataset;
import dev.weir.task.TaskResult;
import dev.weir.tasks.S3Fixture;
import dev.weir.tasks.TestContext;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class S3ListDeleteTest extends S3Fixture {
  @BeforeEach
  void objects() {
    put("orders/2026-11-01.csv", "12345");
    put("orders/2026-11-02.csv", "123");
    put("orders/2026-11-02.json", "1");
    put("orders/archive/2025-12-31.csv", "12");
    put("customers/all.csv", "1234");
  }

  @Test
  void lists_every_key_under_a_prefix_with_count_and_total_size() throws Exception {
    TaskResult r =
        ctx.run("list", new S3ListTask(), "{connection: lake, path: '" + uri("orders/") + "'}");
    assertThat(r.outputs())
        .containsEntry("bucket", bucket)
        .containsEntry(
            "keys",
            List.of(
                "orders/2026-11-01.csv",
                "orders/2026-11-02.csv",
                "orders/2026-11-02.json",
                "orders/archive/2025-12-31.csv"))
        .containsEntry("count", 4)
        .containsEntry("bytes", 11L);
    assertThat(r.dataset()).isNull();
  }

  @Test
  void a_path_that_is_not_a_whole_segment_still_lists_as_a_prefix() throws Exception {
    TaskResult r =
        ctx.run(
            "list", new S3ListTask(), "{connection: lake, path: '" + uri("orders/2026-") + "'}");
    assertThat(r.outputs()).containsEntry("count", 3);
  }

  @Test
  void a_glob_filters_the_listing() throws Exception {
    TaskResult one =
        ctx.run("one", new S3ListTask(), "{connection: lake, path: '" + uri("orders/*.csv") + "'}");
    assertThat(one.outputs())
        .containsEntry("keys", List.of("orders/2026-11-01.csv", "orders/2026-11-02.csv"));
    TaskResult deep =
        ctx.run(
            "deep", new S3ListTask(), "{connection: lake, path: '" + uri("orders/**.csv") + "'}");
    assertThat(deep.outputs()).containsEntry("count", 3);
  }

  @Test
  void an_empty_listing_succeeds_with_count_zero() throws Exception {
    TaskResult r =
        ctx.run("list", new S3ListTask(), "{connection: lake, path: '" + uri("nothing/") + "'}");
    assertThat(r.outputs()).containsEntry("count", 0).containsEntry("keys", List.of());
  }

  @Test
  void stages_the_listing_as_a_dataset_when_asked() throws Exception {
    TaskResult r =
        ctx.run(
            "list",
            new S3ListTask(),
            "{connection: lake, path: '" + uri("orders/*.csv") + "', dataset: true}");
    Dataset d = r.dataset();
    assertThat(d.rowCount()).isEqualTo(2);
    assertThat(d.schema())
        .containsExactly(
            new Dataset.Column("key", "VARCHAR"),
            new Dataset.Column("size", "BIGINT"),
            new Dataset.Column("last_modified", "TIMESTAMP"));
  }

  @Test
  void deleting_a_key_twice_succeeds_both_times() throws Exception {
    String yaml = "{connection: lake, path: '" + uri("customers/all.csv") + "'}";
    TaskResult first = ctx.run("delete", new S3DeleteTask(), yaml);
    assertThat(first.outputs())
        .containsEntry("deleted", List.of(uri("customers/all.csv")))
        .containsEntry("count", 1);
    assertThat(exists("customers/all.csv")).isFalse();
    ctx.run("delete", new S3DeleteTask(), yaml);
    assertThat(exists("customers/all.csv")).isFalse();
  }

  @Test
  void deletes_everything_under_a_prefix_and_nothing_else() throws Exception {
    TaskResult r =
        ctx.run("delete", new S3DeleteTask(), "{connection: lake, path: '" + uri("orders/") + "'}");
    assertThat(r.outputs()).containsEntry("count", 4);
    assertThat(exists("orders/2026-11-01.csv")).isFalse();
    assertThat(exists("orders/archive/2025-12-31.csv")).isFalse();
    assertThat(exists("customers/all.csv")).isTrue();
    TaskResult again =
        ctx.run("delete", new S3DeleteTask(), "{connection: lake, path: '" + uri("orders/") + "'}");
    assertThat(again.outputs()).containsEntry("count", 0);
  }

  @Test
  void deletes_the_keys_of_a_list_and_of_a_glob() throws Exception {
    ctx.run(
        "delete",
        new S3DeleteTask(),
        "{connection: lake, paths: ['"
            + uri("orders/*.json")
            + "', '"
            + uri("customers/all.csv")
            + "', '"
            + uri("customers/absent.csv")
            + "']}");
    assertThat(exists("orders/2026-11-02.json")).isFalse();
    assertThat(exists("customers/all.csv")).isFalse();
    assertThat(exists("orders/2026-11-02.csv")).isTrue();
  }

  @Test
  void refuses_to_delete_a_whole_bucket_by_accident() {
    assertThat(TestContext.problems(new S3DeleteTask(), "path: s3://lake/"))
        .containsExactly(
            "'s3://lake/' would delete every object in bucket 'lake'; name a prefix, e.g."
                + " s3://lake/tmp/, or write s3://lake/** if the whole bucket is meant");
    assertThat(TestContext.problems(new S3DeleteTask(), "{}"))
        .containsExactly(
            "neither path nor paths is given; give one: `path: s3://lake/tmp/` or `paths:"
                + " [s3://lake/a.csv, s3://lake/b.csv]`");
  }
}
