package dev.weir.tasks.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.Dataset;
import dev.weir.task.TaskResult;
import dev.weir.tasks.TestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileWriteTaskTest {
  @TempDir Path dir;
  private TestContext ctx;
  private Dataset orders;

  @BeforeEach
  void stageOrders() throws Exception {
    Files.writeString(
        dir.resolve("orders.csv"), "id,amount,day\n1,10.50,2024-01-01\n2,7.00,2024-01-02\n");
    ctx = new TestContext(dir);
    orders =
        ctx.run(
                "orders",
                new FileReadTask(),
                "path: orders.csv\nschema: {id: BIGINT, amount: 'DECIMAL(10,2)', day: DATE}")
            .dataset();
  }

  @Test
  void writes_csv_with_a_header_into_new_directories() throws Exception {
    TaskResult result =
        ctx.run("out", new FileWriteTask(), "{dataset: orders, path: out/2024/orders.csv}");
    Path file = dir.resolve("out/2024/orders.csv");
    assertThat(result.outputs()).containsEntry("rows", 2L).containsEntry("path", file.toString());
    assertThat(Files.readAllLines(file))
        .containsExactly("id,amount,day", "1,10.50,2024-01-01", "2,7.00,2024-01-02");
    assertThat(dir.resolve("out/2024")).isDirectoryNotContaining("glob:**.tmp");
  }

  @Test
  void csv_round_trip_keeps_rows_and_checksum_under_the_same_schema() throws Exception {
    ctx.run("out", new FileWriteTask(), "{dataset: orders, path: copy.csv}");
    Dataset back =
        ctx.run(
                "back",
                new FileReadTask(),
                "path: copy.csv\nschema: {id: BIGINT, amount: 'DECIMAL(10,2)', day: DATE}")
            .dataset();
    assertThat(back.rowCount()).isEqualTo(2);
    assertThat(back.checksum()).isEqualTo(orders.checksum());
  }

  @Test
  void parquet_round_trip_keeps_schema_and_checksum() throws Exception {
    ctx.run("out", new FileWriteTask(), "{dataset: orders, path: export/orders.parquet}");
    Dataset back = ctx.run("back", new FileReadTask(), "path: export/orders.parquet").dataset();
    assertThat(back.schema()).isEqualTo(orders.schema());
    assertThat(back.checksum()).isEqualTo(orders.checksum());
  }

  @Test
  void json_extension_writes_an_array_and_jsonl_one_object_per_line() throws Exception {
    ctx.run("a", new FileWriteTask(), "{dataset: orders, path: orders.json}");
    ctx.run("b", new FileWriteTask(), "{dataset: orders, path: orders.jsonl}");
    assertThat(Files.readString(dir.resolve("orders.json")).strip()).startsWith("[").endsWith("]");
    assertThat(Files.readAllLines(dir.resolve("orders.jsonl")))
        .containsExactly(
            "{\"id\":1,\"amount\":10.5,\"day\":\"2024-01-01\"}",
            "{\"id\":2,\"amount\":7.0,\"day\":\"2024-01-02\"}");
  }

  @Test
  void overwrites_an_existing_file_whole() throws Exception {
    Files.writeString(
        dir.resolve("orders_out.csv"), "old content that is longer than the new one\n".repeat(100));
    ctx.run("out", new FileWriteTask(), "{dataset: orders, path: orders_out.csv}");
    assertThat(Files.readAllLines(dir.resolve("orders_out.csv"))).hasSize(3);
  }

  @Test
  void unknown_extension_asks_for_a_format() {
    assertThatThrownBy(
            () -> ctx.run("out", new FileWriteTask(), "{dataset: orders, path: out.xlsx}"))
        .hasMessageContaining("from its extension '.xlsx'")
        .hasMessageEndingWith("add `format: csv` (or json, parquet) to the task");
    assertThat(dir.resolve("out.xlsx")).doesNotExist();
  }
}
