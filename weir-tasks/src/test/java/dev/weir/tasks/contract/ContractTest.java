package dev.weir.tasks.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.TestContext;
import dev.weir.tasks.file.FileReadTask;
import dev.weir.tasks.jdbc.JdbcExtractTask;
import dev.weir.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContractTest {
  private static final String CONTRACT =
      "contract: {columns: {id: {type: INTEGER, nullable: false}, customer_id: BIGINT,"
          + " amount: 'DECIMAL(10,2)', email: {type: VARCHAR, nullable: false}}";

  @TempDir Path dir;
  private TestContext ctx;
  private String url;

  @BeforeEach
  void setUp() throws Exception {
    ctx = new TestContext(dir);
    url = TestDatabases.freshPostgresSchemaUrl();
    ctx.connection("src", url);
  }

  private void sql(String... statements) throws Exception {
    try (var c = DriverManager.getConnection(url);
        var st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  private TaskResult extract(String onDrift) throws Exception {
    return ctx.run(
        "extract",
        new JdbcExtractTask(),
        "{connection: src, table: orders, " + CONTRACT + ", onDrift: " + onDrift + "}}");
  }

  @Test
  void a_source_that_keeps_its_shape_passes() throws Exception {
    sql(
        "CREATE TABLE orders (id int, customer_id bigint, amount numeric(10,2), email text)",
        "INSERT INTO orders VALUES (1, 2, 3.50, 'a@b')");
    assertThat(extract("fail").outputs()).containsEntry("drift", List.of());
  }

  @Test
  void every_kind_of_drift_is_listed_before_anything_moves_on() throws Exception {
    sql(
        // customer_id renamed to cust_id, amount retyped, email now has a null, note added
        "CREATE TABLE orders (id int, cust_id bigint, amount double precision, email text,"
            + " note text)",
        "INSERT INTO orders VALUES (1, 2, 3.5, NULL, 'x')");
    assertThatThrownBy(() -> extract("fail"))
        .isInstanceOf(TaskFailedException.class)
        .hasMessage(
            "dataset 'extract' differs from its contract (onDrift: fail); nothing was passed on:"
                + "\n  - column 'customer_id' BIGINT is missing (renamed to 'cust_id'?)"
                + "\n  - column 'amount' changed type: DECIMAL(10,2) expected, DOUBLE found"
                + "\n  - column 'email' holds 1 null, but the contract says nullable: false"
                + "\n  - column 'note' VARCHAR is new"
                + "\nUpdate the contract to the new shape, fix the source, or set `onDrift: warn`"
                + " to let the data through.");
  }

  @Test
  void warn_logs_the_drift_and_lets_the_data_through() throws Exception {
    sql(
        "CREATE TABLE orders (id int, customer_id bigint, amount numeric(10,2))",
        "INSERT INTO orders VALUES (1, 2, 3.50)");
    TaskResult r = extract("warn");
    assertThat(r.outputs().get("drift"))
        .asList()
        .containsExactly("column 'email' VARCHAR is missing");
    assertThat(ctx.log()).anyMatch(l -> l.startsWith("WARN dataset 'extract' differs"));
  }

  @Test
  void evolve_accepts_new_columns_but_not_dropped_ones() throws Exception {
    sql(
        "CREATE TABLE orders (id int, customer_id bigint, amount numeric(10,2), email text,"
            + " note text)",
        "INSERT INTO orders VALUES (1, 2, 3.50, 'a@b', 'x')");
    assertThat(extract("evolve").outputs().get("drift"))
        .asList()
        .containsExactly("column 'note' VARCHAR is new");
    sql("ALTER TABLE orders DROP COLUMN email");
    assertThatThrownBy(() -> extract("evolve"))
        .hasMessageContaining("(onDrift: evolve)")
        // the same pooled connection reads the altered table (no stale prepared statement)
        .hasMessageContaining("column 'email' VARCHAR is missing (renamed to 'note'?)");
  }

  @Test
  void file_read_checks_its_contract_too() throws Exception {
    Files.writeString(dir.resolve("o.csv"), "id,name\n1,a\n");
    assertThatThrownBy(() ->
            ctx.run(
                "read",
                new FileReadTask(),
                "{path: o.csv, contract: {columns: {id: BIGINT, title: VARCHAR}}}"))
        .hasMessageContaining("column 'title' VARCHAR is missing (renamed to 'name'?)");
  }

  @Test
  void a_contract_without_types_is_a_validation_error() {
    assertThat(
            TestContext.problems(
                new JdbcExtractTask(),
                "{connection: src, table: t, contract: {columns: {id: {nullable: false}}}}"))
        .containsExactly(
            "contract column 'id' needs a type: `id: BIGINT` or `id: {type: BIGINT, nullable:"
                + " false}`");
  }
}
