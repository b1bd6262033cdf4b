package dev.weir.tasks.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.Dataset;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.TestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileReadTaskTest {
  private static final String SCHEMA = "schema: {id: BIGINT, amount: 'DECIMAL(10,2)', day: DATE}\n";

  @TempDir Path dir;

  private TestContext ctx() {
    return new TestContext(dir);
  }

  private void write(String name, String text) throws Exception {
    Files.writeString(dir.resolve(name), text);
  }

  /** Ten rows, of which line 4 has a bad amount. */
  private void tenRowsOneBad() throws Exception {
    var sb = new StringBuilder("id,amount,day\n");
    for (int i = 1; i <= 10; i++) {
      sb.append(i)
          .append(',')
          .append(i == 3 ? "abc" : i + ".50")
          .append(",2024-01-0")
          .append(i % 9 + 1)
          .append('\n');
    }
    write("orders.csv", sb.toString());
  }

  @Test
  void reads_csv_with_a_schema_into_a_staged_parquet_dataset() throws Exception {
    write("orders.csv", "id,amount,day\n1,10.50,2024-01-01\n2,7,2024-01-02\n");
    var ctx = ctx();
    TaskResult result = ctx.run("orders", new FileReadTask(), "path: orders.csv\n" + SCHEMA);
    Dataset d = result.dataset();
    assertThat(d.rowCount()).isEqualTo(2);
    assertThat(d.path()).isEqualTo(dir.resolve(".staging/orders/data.parquet"));
    assertThat(Files.exists(d.path())).isTrue();
    assertThat(d.schema())
        .containsExactly(
            new Dataset.Column("id", "BIGINT"),
            new Dataset.Column("amount", "DECIMAL(10,2)"),
            new Dataset.Column("day", "DATE"));
    assertThat(d.checksum()).matches("[0-9a-f]+");
    assertThat(result.outputs()).containsEntry("rows", 2L).containsEntry("rejected", 0L);
  }

  @Test
  void same_rows_in_another_order_give_the_same_checksum() throws Exception {
    write("a.csv", "id,name\n1,x\n2,y\n3,z\n");
    write("b.csv", "id,name\n3,z\n1,x\n2,y\n");
    var ctx = ctx();
    String a = ctx.run("a", new FileReadTask(), "path: a.csv").dataset().checksum();
    String b = ctx.run("b", new FileReadTask(), "path: b.csv").dataset().checksum();
    assertThat(a).isEqualTo(b);
  }

  @Test
  void rows_that_do_not_fit_the_schema_fail_the_read_by_default() throws Exception {
    write("orders.csv", "id,amount,day\n1,10.50,2024-01-01\n2,abc,2024-01-02\n3,7,notadate\n");
    var ctx = ctx();
    Path rejected = dir.resolve(".staging/orders/rejected.csv");
    assertThatThrownBy(() -> ctx.run("orders", new FileReadTask(), "path: orders.csv\n" + SCHEMA))
        .isInstanceOf(TaskFailedException.class)
        .hasMessage(
            "file.read rejected 2 of 3 rows of "
                + dir.resolve("orders.csv")
                + ", more than maxRejected 0 allows; first problems:\n"
                + "  line 3, column amount: Error when converting column \"amount\". Could not"
                + " convert string \"abc\" to 'DECIMAL'\n"
                + "  line 4, column day: Error when converting column \"day\". Could not convert"
                + " string \"notadate\" to 'DATE'\n"
                + "All rejected rows are in "
                + rejected
                + ". Fix the data, or raise maxRejected (e.g. `maxRejected: 5%`) to load the rows"
                + " that fit.")
        .satisfies(e -> {
          var f = (TaskFailedException) e;
          assertThat(f.retryable()).isFalse();
          assertThat(f.outputs())
              .containsEntry("rejected", 2L)
              .containsEntry("rejectedPath", rejected.toString());
        });
    assertThat(Files.readAllLines(rejected))
        .containsExactly(
            "line,column,reason,raw",
            "3,amount,\"Error when converting column \"\"amount\"\". Could not convert string"
                + " \"\"abc\"\" to 'DECIMAL'\",\"2,abc,2024-01-02\"",
            "4,day,\"Error when converting column \"\"day\"\". Could not convert string"
                + " \"\"notadate\"\" to 'DATE'\",\"3,7,notadate\"");
  }

  @Test
  void rejects_under_a_percentage_limit_load_the_rest_and_warn() throws Exception {
    tenRowsOneBad();
    var ctx = ctx();
    TaskResult result =
        ctx.run("orders", new FileReadTask(), "path: orders.csv\nmaxRejected: 10%\n" + SCHEMA);
    Path rejected = dir.resolve(".staging/orders/rejected.csv");
    assertThat(result.outputs())
        .containsEntry("rows", 9L)
        .containsEntry("rejected", 1L)
        .containsEntry("rejectedPath", rejected.toString());
    assertThat(ctx.log())
        .containsExactly(
            "WARN file.read rejected 1 of 10 rows of "
                + dir.resolve("orders.csv")
                + " (maxRejected 10%); they are in "
                + rejected);
    assertThat(Files.readAllLines(rejected)).hasSize(2);
  }

  @Test
  void rejects_over_a_percentage_limit_fail() throws Exception {
    tenRowsOneBad();
    assertThatThrownBy(() ->
            ctx().run("orders", new FileReadTask(), "path: orders.csv\nmaxRejected: 5%\n" + SCHEMA))
        .hasMessageStartingWith("file.read rejected 1 of 10 rows of ")
        .hasMessageContaining("more than maxRejected 5% allows");
  }

  @Test
  void a_count_limit_allows_that_many_rejected_rows() throws Exception {
    tenRowsOneBad();
    TaskResult result =
        ctx().run("orders", new FileReadTask(), "path: orders.csv\nmaxRejected: 1\n" + SCHEMA);
    assertThat(result.rows()).isEqualTo(9);
  }

  @Test
  void a_row_with_too_many_columns_is_rejected_too() throws Exception {
    write("orders.csv", "id,amount,day\n1,10.50,2024-01-01\n2,3,2024-01-02,extra\n");
    TaskResult result =
        ctx().run("orders", new FileReadTask(), "path: orders.csv\nmaxRejected: 1\n" + SCHEMA);
    assertThat(result.outputs()).containsEntry("rows", 1L).containsEntry("rejected", 1L);
  }

  @Test
  void infers_json_lines_from_the_extension() throws Exception {
    write("events.jsonl", "{\"id\": 1, \"kind\": \"click\"}\n{\"id\": 2, \"kind\": \"view\"}\n");
    TaskResult result = ctx().run("events", new FileReadTask(), "path: events.jsonl");
    assertThat(result.dataset().rowCount()).isEqualTo(2);
    assertThat(result.dataset().schema())
        .extracting(Dataset.Column::name)
        .containsExactly("id", "kind");
  }

  @Test
  void infers_tab_delimiter_for_tsv() throws Exception {
    write("people.tsv", "name\tage\nada\t36\n");
    TaskResult result = ctx().run("people", new FileReadTask(), "path: people.tsv");
    assertThat(result.dataset().schema())
        .containsExactly(
            new Dataset.Column("name", "VARCHAR"), new Dataset.Column("age", "BIGINT"));
  }

  @Test
  void reads_parquet_written_by_an_earlier_task() throws Exception {
    write("orders.csv", "id,amount\n1,2.5\n2,3.5\n");
    var ctx = ctx();
    Path staged = ctx.run("csv", new FileReadTask(), "path: orders.csv").dataset().path();
    TaskResult result = ctx.run("pq", new FileReadTask(), "path: " + staged);
    assertThat(result.dataset().rowCount()).isEqualTo(2);
  }

  @Test
  void json_with_a_schema_rejects_values_that_do_not_cast() throws Exception {
    write(
        "events.json",
        "[{\"id\": 1, \"at\": \"2024-01-01\"}, {\"id\": \"x\", \"at\": \"2024-01-02\"}, {\"id\": 3}]");
    var ctx = ctx();
    TaskResult result =
        ctx.run(
            "events",
            new FileReadTask(),
            "path: events.json\nschema: {id: BIGINT, at: DATE}\nmaxRejected: 1\n");
    assertThat(result.outputs()).containsEntry("rows", 2L).containsEntry("rejected", 1L);
    assertThat(result.dataset().schema())
        .containsExactly(new Dataset.Column("id", "BIGINT"), new Dataset.Column("at", "DATE"));
    assertThat(Files.readAllLines(dir.resolve(".staging/events/rejected.csv")))
        .containsExactly(
            "line,column,reason,raw",
            "2,id,could not convert x to BIGINT,\"{\"\"id\"\":\"\"x\"\",\"\"at\"\":\"\"2024-01-02\"\"}\"");
  }

  @Test
  void a_schema_column_missing_from_a_parquet_file_is_named() throws Exception {
    write("orders.csv", "id,amount\n1,2.5\n");
    var ctx = ctx();
    Path staged = ctx.run("csv", new FileReadTask(), "path: orders.csv").dataset().path();
    assertThatThrownBy(() ->
            ctx.run(
                "pq",
                new FileReadTask(),
                "path: " + staged + "\nschema: {id: INTEGER, amout: DOUBLE}"))
        .hasMessage(
            "schema column 'amout' is not in "
                + staged
                + " (its columns: id, amount); remove it from the schema or fix its name");
  }

  @Test
  void missing_file_names_the_absolute_path() {
    assertThatThrownBy(() -> ctx().run("orders", new FileReadTask(), "path: data/nope.csv"))
        .isInstanceOf(TaskFailedException.class)
        .hasMessage(
            "file.read: no file at "
                + dir.resolve("data/nope.csv")
                + " (path 'data/nope.csv', relative paths resolve against the flow file's"
                + " directory "
                + dir
                + ")");
  }

  @Test
  void a_missing_file_is_retried_because_it_may_arrive_late() {
    assertThatThrownBy(() -> ctx().run("orders", new FileReadTask(), "path: data/nope.csv"))
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e -> org.assertj.core.api.Assertions.assertThat(e.retryable()).isTrue());
  }

  @Test
  void an_unreadable_file_fails_at_once_saying_permission_denied() throws Exception {
    // root reads any file, whatever its mode
    org.junit.jupiter.api.Assumptions.assumeFalse(
        "root".equals(System.getProperty("user.name")), "running as root");
    write("secret.csv", "id\n1\n");
    Path file = dir.resolve("secret.csv");
    java.nio.file.Files.setPosixFilePermissions(file, java.util.Set.of());
    assertThatThrownBy(() -> ctx().run("orders", new FileReadTask(), "path: secret.csv"))
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e -> org.assertj.core.api.Assertions.assertThat(e.retryable()).isFalse())
        .hasMessage(
            "file.read: cannot read "
                + file
                + ": permission denied; give the user running Weir read access to it");
  }

  @Test
  void unknown_extension_asks_for_a_format() throws Exception {
    write("orders.dat", "id\n1\n");
    assertThatThrownBy(() -> ctx().run("orders", new FileReadTask(), "path: orders.dat"))
        .hasMessage(
            "cannot tell the format of "
                + dir.resolve("orders.dat")
                + " from its extension '.dat'; known extensions are .csv, .tsv, .json, .jsonl,"
                + " .ndjson, .parquet; add `format: csv` (or json, parquet) to the task");
  }

  @Test
  void an_explicit_format_overrides_the_extension() throws Exception {
    write("orders.dat", "id\n1\n");
    assertThat(ctx().run("orders", new FileReadTask(), "{path: orders.dat, format: CSV}").rows())
        .isEqualTo(1);
  }

  @Test
  void validation_names_bad_limits_and_types() {
    assertThat(
            TestContext.problems(
                new FileReadTask(),
                "{path: a.csv, maxRejected: lots, schema: {id: 'BIGINT; DROP TABLE x'}}"))
        .containsExactly(
            "maxRejected 'lots' is neither a row count nor a percentage of rows; use e.g."
                + " `maxRejected: 10` or `maxRejected: 5%`",
            "schema column 'id' has type 'BIGINT; DROP TABLE x', which is not a DuckDB type name;"
                + " use e.g. BIGINT, DOUBLE, DECIMAL(10,2), VARCHAR, DATE, TIMESTAMP or BOOLEAN");
  }

  @Test
  void validation_explains_a_decimal_type_split_by_flow_yaml() {
    assertThat(
            TestContext.problems(
                new FileReadTask(), "{path: a.csv, schema: {amount: DECIMAL(10,2)}}"))
        .containsExactly(
            "schema column 'amount' has type 'DECIMAL(10': inside {...} YAML splits at the comma;"
                + " quote the type, e.g. `amount: 'DECIMAL(10,2)'`, or write the schema one column"
                + " per line");
  }

  @Test
  void reject_limits_parse_counts_and_percentages() {
    assertThat(RejectLimit.parse("10").exceededBy(11, 100)).isTrue();
    assertThat(RejectLimit.parse("10").exceededBy(10, 100)).isFalse();
    assertThat(RejectLimit.parse("2.5%").exceededBy(3, 100)).isTrue();
    assertThat(RejectLimit.parse("2.5%").toString()).isEqualTo("2.5%");
    assertThat(RejectLimit.parse(null).exceededBy(1, 100)).isTrue();
    assertThat(List.of("150%", "1.5", "-1"))
        .allSatisfy(s ->
            assertThatThrownBy(() -> RejectLimit.parse(s))
                .isInstanceOf(IllegalArgumentException.class));
  }
}
