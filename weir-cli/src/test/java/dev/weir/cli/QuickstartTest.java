package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's quickstart, run the way a newcomer runs it. */
class QuickstartTest {
  @TempDir Path dir;

  @Test
  void quickstart_loads_every_valid_order_once_even_when_run_twice() throws Exception {
    Path example = copyExample();
    Path flow = example.resolve("flow.yaml");
    Cli.Result first = Cli.run("run", flow.toString(), "--home", dir.resolve("home").toString());
    assertThat(first.exit()).as(first.out() + first.err()).isZero();
    assertThat(first.out())
        .contains("SUCCEEDED")
        .contains("Loaded 2985 orders into table analytics.orders")
        .contains("./weir sql examples/quickstart/warehouse.duckdb");
    long expected = expectedOrders(example);
    assertThat(warehouseCount(example)).isEqualTo(expected).isEqualTo(2985);

    Cli.Result second = Cli.run("run", flow.toString(), "--home", dir.resolve("home").toString());
    assertThat(second.exit()).isZero();
    assertThat(warehouseCount(example)).isEqualTo(expected);
    assertThat(distinctKeys(example)).isEqualTo(expected);
  }

  @Test
  void the_readme_tour_finds_its_runs_from_the_clone_without_home() throws Exception {
    // a clone: the repository's weir.yaml at the top, the quickstart under examples/
    Path clone = dir.resolve("clone");
    copyExample(clone.resolve("examples/quickstart"));
    Files.copy(Path.of("../weir.yaml"), clone.resolve("weir.yaml"));
    Surroundings top = Cli.at(clone, dir.resolve("user"), java.util.Map.of());
    Cli.Result run = Cli.run(top, "run", "examples/quickstart/flow.yaml");
    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    String runId =
        run.out()
            .lines()
            .filter(l -> l.startsWith("Logs:"))
            .findFirst()
            .orElseThrow()
            .split(" ")[6];
    assertThat(run.out()).contains("Logs:    weir logs " + runId + "\n");

    Cli.Result list = Cli.run(top, "runs", "list");
    assertThat(list.out())
        .startsWith(
            "Runs in "
                + clone.resolve(".weir")
                + " (found from "
                + clone.resolve("weir.yaml")
                + ")\n")
        .contains(runId);
    Surroundings inside =
        Cli.at(clone.resolve("examples"), dir.resolve("user"), java.util.Map.of());
    assertThat(Cli.run(inside, "runs", "show", runId).out()).contains("State    SUCCEEDED");
    assertThat(Cli.run(inside, "logs", runId, "--task", "report").exit()).isZero();

    // the tour's development loop
    Cli.Result dry = Cli.run(top, "run", "examples/quickstart/flow.yaml", "--dry-run");
    assertThat(dry.exit()).as(dry.out() + dry.err()).isZero();
    assertThat(dry.out())
        .contains("Plan (tasks on one line can run together):\n  1. customers, orders\n");
    Cli.Result one = Cli.run(top, "run", "examples/quickstart/flow.yaml", "--task", "orders_clean");
    assertThat(one.exit()).as(one.out() + one.err()).isZero();
    assertThat(one.out()).contains("Reusing datasets of run " + runId);
  }

  private Path copyExample() throws IOException {
    return copyExample(dir.resolve("quickstart"));
  }

  private Path copyExample(Path dst) throws IOException {
    Path src = Path.of("../examples/quickstart").toAbsolutePath().normalize();
    try (Stream<Path> walk = Files.walk(src)) {
      for (Path p :
          walk.filter(p -> !p.toString().contains(".weir"))
              .filter(p -> !p.toString().endsWith(".duckdb"))
              .toList()) {
        Path t = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return dst;
  }

  /** Distinct order ids with a valid row and a valid customer, computed straight from the CSV. */
  private static long expectedOrders(Path example) throws SQLException {
    String orders = example.resolve("data/orders.csv").toString();
    String customers = example.resolve("data/customers.csv").toString();
    try (var c = DriverManager.getConnection("jdbc:duckdb:");
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT count(DISTINCT o.order_id) FROM read_csv('"
                        + orders
                        + "', all_varchar=true) o"
                        + " JOIN read_csv('"
                        + customers
                        + "', all_varchar=true) c USING (customer_id)"
                        + " WHERE TRY_CAST(o.amount AS DECIMAL(10,2)) IS NOT NULL"
                        + " AND TRY_CAST(o.ordered_at AS TIMESTAMP) IS NOT NULL"
                        + " AND TRY_CAST(c.signup_date AS DATE) IS NOT NULL")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long warehouseCount(Path example) throws SQLException {
    return query(example, "SELECT count(*) FROM analytics.orders");
  }

  private static long distinctKeys(Path example) throws SQLException {
    return query(example, "SELECT count(DISTINCT order_id) FROM analytics.orders");
  }

  private static long query(Path example, String sql) throws SQLException {
    try (var c = DriverManager.getConnection("jdbc:duckdb:" + example.resolve("warehouse.duckdb"));
        var rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
