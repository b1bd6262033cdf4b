package dev.weir.tasks.foreach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.TaskRunRecord;
import dev.weir.testing.EngineFixture;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** forEach with real task types: items from an upstream dataset's rows, datasets per item. */
class ForEachFlowTest {
  @TempDir Path dir;
  EngineFixture fx;

  @BeforeEach
  void setUp() {
    fx = new EngineFixture(dir);
    fx.write(
        "orders.csv",
        """
        id,region,amount
        1,north,10
        2,south,20
        3,north,30
        4,east,5
        """);
    fx.write(
        "regions.csv",
        """
        region,label
        north,N
        south,S
        """);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  @Test
  void rows_of_a_dataset_are_items_and_each_item_reads_datasets_around_it() {
    RunRecord run =
        fx.run(
            """
            id: per_region
            tasks:
              - {id: orders, type: file.read, path: orders.csv}
              - {id: regions, type: file.read, path: regions.csv}
              - id: each
                type: forEach
                rows: regions
                key: "{{ item.region }}"
                dependsOn: [orders, regions]
                tasks:
                  - id: totals
                    type: sql.transform
                    sql: >-
                      SELECT '{{ item.label }}' AS label, sum(amount) AS total
                      FROM orders WHERE region = '{{ item.region }}'
                  - id: check
                    type: sql.transform
                    sql: SELECT * FROM totals WHERE total > 0
            """);
    assertThat(run.state()).as(run.error()).isEqualTo(RunState.SUCCEEDED);
    Map<String, TaskRunRecord> t = fx.latest(run.id());
    assertThat(t.keySet()).contains("each[north]/totals", "each[south]/check");
    assertThat(t.get("each[north]/check").rows()).isEqualTo(1);
    assertThat(t.get("each").outputs()).contains("\"keys\":[\"north\",\"south\"]");
  }

  @Test
  void rows_of_an_unknown_task_fail_the_group_clearly() {
    RunRecord run =
        fx.run(
            """
            id: bad_rows
            tasks:
              - {id: orders, type: file.read, path: orders.csv}
              - id: each
                type: forEach
                rows: "{{ 'nothere' }}"
                tasks:
                  - {id: t, type: sql.transform, sql: SELECT 1 AS x}
            """);
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(fx.latest(run.id()).get("each").error())
        .isEqualTo(
            "forEach: rows: task 'nothere' has no dataset in this run; name a task that makes one");
  }
}
