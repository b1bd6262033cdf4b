package dev.weir.tasks.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.testing.EngineFixture;
import dev.weir.testing.TestDatabases;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL to PostgreSQL, incrementally, through the real engine and state store. */
class IncrementalFlowTest {
  private static final String FLOW =
      """
      id: orders_sync
      tasks:
        - id: extract
          type: jdbc.extract
          connection: source
          sql: SELECT id, status, updated_at FROM orders WHERE updated_at >= :since
          incremental: {column: updated_at, overlap: 30m, initial: '2026-01-01'}
        - id: load
          type: jdbc.load
          dataset: extract
          connection: target
          table: "{{ inputs.table }}"
          mode: upsert
          key: [id]
      inputs:
        - {id: table, type: string, default: orders_copy}
      """;

  @TempDir Path dir;
  private EngineFixture fx;
  private Db source;
  private Db target;

  @BeforeEach
  void setUp() throws Exception {
    String src = TestDatabases.freshPostgresSchemaUrl();
    String dst = TestDatabases.freshPostgresSchemaUrl();
    source = new Db(src);
    target = new Db(dst);
    fx = new EngineFixture(dir);
    fx.write(
        "weir.yaml",
        "connections:\n  source: {url: '" + src + "'}\n  target: {url: '" + dst + "'}\n");
    source.exec(
        "CREATE TABLE orders (id int PRIMARY KEY, status text, updated_at timestamp)",
        "INSERT INTO orders VALUES (1, 'new', '2026-11-01 10:00'), (2, 'new', '2026-11-01 11:00')");
  }

  @AfterEach
  void close() {
    fx.close();
  }

  private String watermark() {
    return fx.store.getState("default", "orders_sync", "extract", "watermark").orElse(null);
  }

  @Test
  void changed_rows_arrive_once_and_a_failed_load_keeps_the_mark() throws Exception {
    RunRecord first = fx.run(FLOW);
    assertThat(first.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(watermark()).isEqualTo("timestamp:2026-11-01T11:00:00.000000");

    source.exec(
        "INSERT INTO orders VALUES (3, 'new', '2026-11-01 12:00')",
        "UPDATE orders SET status = 'paid', updated_at = '2026-11-01 12:30' WHERE id = 1",
        "UPDATE orders SET status = 'late', updated_at = '2026-11-01 10:45' WHERE id = 2");
    // the load fails (a target whose status column is a number): the mark must not move
    target.exec("CREATE TABLE bad_orders (id int PRIMARY KEY, status int, updated_at timestamp)");
    RunRecord failed = fx.run(FLOW, Map.of("table", "bad_orders"));
    assertThat(failed.state()).isEqualTo(RunState.FAILED);
    assertThat(failed.error())
        .startsWith(
            "task 'load' failed: jdbc.load into bad_orders of 'target' failed, nothing was loaded:"
                + " ERROR: invalid input syntax for type integer: \"new\"");
    assertThat(target.rows("SELECT count(*) FROM bad_orders")).containsExactly("0");
    assertThat(watermark()).isEqualTo("timestamp:2026-11-01T11:00:00.000000");

    RunRecord second = fx.run(FLOW);
    assertThat(second.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(target.rows("SELECT id, status FROM orders_copy ORDER BY id"))
        .containsExactly("1|paid", "2|late", "3|new");
    assertThat(watermark()).isEqualTo("timestamp:2026-11-01T12:30:00.000000");
    assertThat(source.rows("SELECT id, status FROM orders ORDER BY id"))
        .isEqualTo(target.rows("SELECT id, status FROM orders_copy ORDER BY id"));
  }
}
