package dev.weir.tasks.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.Dataset;
import dev.weir.tasks.TestContext;
import dev.weir.tasks.jdbc.JdbcLoadTask;
import dev.weir.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A quoted empty field ({@code ""}) is an empty string and an unquoted empty field is NULL, as in
 * PostgreSQL's {@code COPY … CSV}. Before, DuckDB's reader made both NULL, so an empty string could
 * not survive a round trip.
 */
class CsvEmptyStringTest {
  private static final String CSV = "id,name,note\n1,\"\",x\n2,,y\n3,a,\n";

  @TempDir Path dir;

  private static List<String> rows(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      var rows = new ArrayList<String>();
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
      return rows;
    }
  }

  /** Each row as id:name, with NULL spelt out and '' quoted, so the two can't be confused. */
  private static final String SHOW =
      "SELECT id || ':' || CASE WHEN name IS NULL THEN 'NULL' ELSE '''' || name || '''' END";

  private TestContext readOrders(String yaml) throws Exception {
    Files.writeString(dir.resolve("orders.csv"), CSV);
    var ctx = new TestContext(dir);
    ctx.run("orders", new FileReadTask(), yaml);
    return ctx;
  }

  @Test
  void a_quoted_empty_field_reads_as_an_empty_string_and_an_unquoted_one_as_null()
      throws Exception {
    Dataset d = readOrders("path: orders.csv").dataset("orders");
    assertThat(rows("jdbc:duckdb:", SHOW + " FROM '" + d.path() + "' ORDER BY id"))
        .containsExactly("1:''", "2:NULL", "3:'a'");
  }

  @Test
  void the_same_holds_for_a_varchar_column_of_a_schema() throws Exception {
    Dataset d =
        readOrders("path: orders.csv\nschema: {id: BIGINT, name: VARCHAR, note: VARCHAR}")
            .dataset("orders");
    assertThat(rows("jdbc:duckdb:", SHOW + " FROM '" + d.path() + "' ORDER BY id"))
        .containsExactly("1:''", "2:NULL", "3:'a'");
  }

  @Test
  void a_round_trip_through_file_write_keeps_empty_strings_and_nulls_apart() throws Exception {
    var ctx = readOrders("path: orders.csv");
    ctx.run("out", new FileWriteTask(), "{dataset: orders, path: copy.csv}");
    assertThat(Files.readString(dir.resolve("copy.csv"))).isEqualTo(CSV);
  }

  @Test
  void a_load_into_duckdb_keeps_empty_strings_and_nulls_apart() throws Exception {
    var ctx = readOrders("path: orders.csv");
    ctx.run("load", new JdbcLoadTask(), "{dataset: orders, url: 'jdbc:duckdb:w.duckdb', table: t}");
    assertThat(rows("jdbc:duckdb:" + dir.resolve("w.duckdb"), SHOW + " FROM t ORDER BY id"))
        .containsExactly("1:''", "2:NULL", "3:'a'");
  }

  @Test
  void a_load_into_postgresql_keeps_empty_strings_and_nulls_apart() throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    var ctx = readOrders("path: orders.csv");
    ctx.run("load", new JdbcLoadTask(), "{dataset: orders, url: '" + url + "', table: t}");
    assertThat(rows(url, SHOW + " FROM t ORDER BY id")).containsExactly("1:''", "2:NULL", "3:'a'");
  }

  @Test
  void a_quoted_empty_field_in_a_number_column_is_rejected_as_postgresql_rejects_it()
      throws Exception {
    Files.writeString(dir.resolve("orders.csv"), "id,amount\n1,\"\"\n2,\n3,4\n");
    var ctx = new TestContext(dir);
    var result =
        ctx.run(
            "orders",
            new FileReadTask(),
            "path: orders.csv\nmaxRejected: 1\nschema: {id: BIGINT, amount: BIGINT}");
    assertThat(result.outputs()).containsEntry("rows", 2L).containsEntry("rejected", 1L);
    assertThat(Files.readAllLines(dir.resolve(".staging/orders/rejected.csv")))
        .containsExactly(
            "line,column,reason,raw",
            "2,amount,\"Error when converting column \"\"amount\"\". Could not convert string"
                + " \"\"\"\" to 'BIGINT'\",\"1,\"\"\"\"\"");
    assertThatThrownBy(() ->
            ctx.run(
                "strict",
                new FileReadTask(),
                "path: orders.csv\nschema: {id: BIGINT, amount: BIGINT}"))
        .hasMessageContaining("line 2, column amount: Error when converting column \"amount\".");
  }
}
