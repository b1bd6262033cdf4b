package dev.weir.tasks.models;

import static dev.weir.tasks.models.JaffleShopDuckDbTest.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dbt's incremental strategies ({@code append}, {@code merge}, {@code delete+insert}, and the
 * default) run twice, the second time with changed and added source rows, on each database; and the
 * strategies Weir refuses. Run by {@link IncrementalStrategiesDuckDbTest} and {@link
 * IncrementalStrategiesPostgresTest}.
 */
abstract class IncrementalStrategiesContract {
  @TempDir Path dir;

  /** A new connection to a fresh, empty target. */
  abstract Connection connect() throws SQLException;

  /** The target models are built in (its schema exists). */
  abstract Target target();

  private static final String FIRST =
      "id,day,amount,updated_at\n"
          + "1,1,10,2024-01-01 10:00:00\n"
          + "2,1,20,2024-01-01 10:00:00\n"
          + "3,2,30,2024-01-01 10:00:00\n";

  /** Row 2 changes, row (1, day 2) and row 4 are new; all three are newer than the first run. */
  private static final String SECOND =
      FIRST.replace("2,1,20,2024-01-01", "2,1,22,2024-01-02")
          + "1,2,15,2024-01-02 10:00:00\n"
          + "4,2,40,2024-01-02 10:00:00\n";

  @Test
  void each_strategy_puts_the_changed_and_new_rows_into_the_table_as_dbt_does() throws Exception {
    project();
    model("by_append", "incremental_strategy='append', unique_key='id'");
    model("by_default_without_key", "");
    model("by_merge", "incremental_strategy='merge', unique_key='id'");
    model("by_default_with_key", "unique_key='id'");
    model("by_merge_pair", "incremental_strategy='merge', unique_key=['id', 'day']");
    model("by_delete_insert", "incremental_strategy='delete+insert', unique_key='id'");
    model(
        "by_delete_insert_pair", "incremental_strategy='delete+insert', unique_key=['id', 'day']");
    // day is not unique in the table, and twice in the new rows: dbt deletes and inserts them all
    model("by_delete_insert_day", "incremental_strategy='delete+insert', unique_key='day'");
    Files.writeString(
        dir.resolve("models/all_events.sql"),
        "{{ config(materialized='table') }}\nselect * from {{ ref('events') }}\n");
    Files.writeString(dir.resolve("seeds/events.csv"), FIRST);
    try (Connection c = connect()) {
      List<NodeResult> first = run(c);
      assertThat(first)
          .allSatisfy(r -> {
            assertThat(r.status())
                .as(r.name() + ": " + r.message())
                .isEqualTo(NodeResult.Status.SUCCESS);
            assertThat(r.rows()).as(r.name()).isEqualTo(3);
          });
      Files.writeString(dir.resolve("seeds/events.csv"), SECOND);
      List<NodeResult> second = run(c);
      assertThat(second)
          .allSatisfy(r ->
              assertThat(r.status())
                  .as(r.name() + ": " + r.message())
                  .isEqualTo(NodeResult.Status.SUCCESS));
      assertThat(second)
          .filteredOn(r -> r.name().startsWith("by_"))
          .allSatisfy(r -> assertThat(r.rows()).as(r.name() + ": the new rows").isEqualTo(3));
      assertThat(rowsOf(second, "events")).isEqualTo(5);
      assertThat(rowsOf(second, "all_events")).isEqualTo(5);

      var appended = List.of("1|1|10", "1|2|15", "2|1|20", "2|1|22", "3|2|30", "4|2|40");
      var byId = List.of("1|2|15", "2|1|22", "3|2|30", "4|2|40");
      var byPair = List.of("1|1|10", "1|2|15", "2|1|22", "3|2|30", "4|2|40");
      assertThat(table(c, "by_append")).isEqualTo(appended);
      assertThat(table(c, "by_default_without_key")).isEqualTo(appended);
      assertThat(table(c, "by_merge")).isEqualTo(byId);
      assertThat(table(c, "by_default_with_key")).isEqualTo(byId);
      assertThat(table(c, "by_merge_pair")).isEqualTo(byPair);
      assertThat(table(c, "by_delete_insert")).isEqualTo(byId);
      assertThat(table(c, "by_delete_insert_pair")).isEqualTo(byPair);
      assertThat(table(c, "by_delete_insert_day")).containsExactly("1|2|15", "2|1|22", "4|2|40");
    }
  }

  @Test
  void a_table_merged_before_takes_repeated_keys_once_its_strategy_is_delete_insert()
      throws Exception {
    project();
    model("switched", "incremental_strategy='merge', unique_key='day'");
    Files.writeString(
        dir.resolve("seeds/events.csv"), "id,day,amount,updated_at\n1,1,10,2024-01-01 10:00:00\n");
    try (Connection c = connect()) {
      assertThat(run(c))
          .allSatisfy(r -> assertThat(r.status()).isEqualTo(NodeResult.Status.SUCCESS));
      model("switched", "incremental_strategy='delete+insert', unique_key='day'");
      Files.writeString(dir.resolve("seeds/events.csv"), SECOND);
      List<NodeResult> second = run(c);
      assertThat(second)
          .allSatisfy(r ->
              assertThat(r.status())
                  .as(r.name() + ": " + r.message())
                  .isEqualTo(NodeResult.Status.SUCCESS));
      assertThat(table(c, "switched")).containsExactly("1|2|15", "2|1|22", "4|2|40");
      // and back: merge needs its unique index again, on a key that is unique by now
      model("switched", "incremental_strategy='merge', unique_key='id'");
      Files.writeString(dir.resolve("seeds/events.csv"), SECOND + "4,2,44,2024-01-03 10:00:00\n");
      assertThat(run(c))
          .allSatisfy(r ->
              assertThat(r.status())
                  .as(r.name() + ": " + r.message())
                  .isEqualTo(NodeResult.Status.SUCCESS));
      assertThat(table(c, "switched")).containsExactly("1|2|15", "2|1|22", "4|2|44");
    }
  }

  @Test
  void a_strategy_weir_does_not_apply_or_one_without_its_unique_key_fails_at_the_config_line()
      throws Exception {
    project();
    model("no_key_merge", "incremental_strategy='merge'");
    model("no_key_delete", "incremental_strategy='delete+insert'");
    model("batched", "incremental_strategy='microbatch', unique_key='id'");
    model("fine", "incremental_strategy='append'");
    Files.writeString(dir.resolve("seeds/events.csv"), FIRST);
    try (Connection c = connect()) {
      List<NodeResult> results = run(c);
      assertThat(message(results, "no_key_merge"))
          .isEqualTo(
              "models/no_key_merge.sql:2: incremental_strategy 'merge' of model no_key_merge needs a"
                  + " unique_key; set one, e.g. config(unique_key='id') or unique_key=['id',"
                  + " 'day'], or use incremental_strategy='append'");
      assertThat(message(results, "no_key_delete"))
          .startsWith(
              "models/no_key_delete.sql:2: incremental_strategy 'delete+insert' of model"
                  + " no_key_delete needs a unique_key");
      assertThat(message(results, "batched"))
          .isEqualTo(
              "models/batched.sql:2: incremental_strategy 'microbatch' of model batched is not"
                  + " supported; use append, merge or delete+insert (or leave it out: merge with"
                  + " a unique_key, append without)");
      assertThat(ProjectRunnerDuckDbTest.status(results, "fine"))
          .isEqualTo(NodeResult.Status.SUCCESS);
      // nothing was built for the refused ones
      assertThat(
              rows(
                  c,
                  "select table_name from information_schema.tables where table_schema = '"
                      + target().schema()
                      + "' order by 1"))
          .containsExactly("events", "fine");
    }
  }

  private void project() throws IOException {
    Files.writeString(dir.resolve("dbt_project.yml"), "name: inc\n");
    Files.createDirectories(dir.resolve("models"));
    Files.createDirectories(dir.resolve("seeds"));
  }

  /** An incremental model over the events seed, its config() on line 2. */
  private void model(String name, String config) throws IOException {
    Files.writeString(
        dir.resolve("models/" + name + ".sql"),
        "-- "
            + name
            + "\n{{ config(materialized='incremental'"
            + (config.isEmpty() ? "" : ", " + config)
            + ") }}\n"
            + "select id, day, amount, updated_at from {{ ref('events') }}\n"
            + "{% if is_incremental() %}\n"
            + "where updated_at > (select max(updated_at) from {{ this }})\n"
            + "{% endif %}\n");
  }

  private List<NodeResult> run(Connection c) {
    DbtProject p = DbtProject.load(dir);
    var options = new CompileOptions(p.name(), target(), Map.of(), false, false, n -> null);
    return new ProjectRunner(p, options, c).run(null, null);
  }

  private List<String> table(Connection c, String name) throws SQLException {
    return rows(
        c,
        "select id, day, amount from \""
            + target().schema()
            + "\".\""
            + name
            + "\" order by id, day, amount");
  }

  private static long rowsOf(List<NodeResult> results, String name) {
    return results.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow().rows();
  }

  private static String message(List<NodeResult> results, String name) {
    NodeResult r = results.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    assertThat(r.status()).isEqualTo(NodeResult.Status.ERROR);
    return r.message();
  }
}
