package dev.weir.tasks.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.TestContext;
import dev.weir.tasks.sql.SqlTransformTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jdbc.load with {@code deadLetter:}: rows a constraint refuses go to the dead letters, the good
 * ones load, in every mode; one subclass per database.
 */
abstract class DeadLetterLoadContract {
  @TempDir Path dir;
  TestContext ctx;
  Db db;

  abstract String freshUrl() throws Exception;

  /** Whether VARCHAR(5) refuses a longer value (DuckDB does not check the length). */
  boolean enforcesLength() {
    return true;
  }

  /** Whether replace keeps the table's constraints (DuckDB's swap makes a table without them). */
  boolean replaceKeepsConstraints() {
    return true;
  }

  @BeforeEach
  void setUp() throws Exception {
    ctx = new TestContext(dir);
    String url = freshUrl();
    db = new Db(url);
    ctx.connection("target", url);
    db.exec(
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, name VARCHAR(5) NOT NULL, qty INTEGER"
            + " CHECK (qty >= 0))",
        "INSERT INTO orders VALUES (1, 'old', 1)");
  }

  void stage(String id, String values) throws Exception {
    ctx.run(
        id,
        new SqlTransformTask(),
        "sql: \"SELECT * FROM (VALUES " + values + ") t(id, name, qty)\"");
  }

  TaskResult load(String yaml) throws Exception {
    return ctx.run("load", new JdbcLoadTask(), "{connection: target, table: orders, " + yaml + "}");
  }

  /** Six rows: 2 and 6 are good; a duplicate key, a null name, a negative qty, a long name. */
  private void stageBad() throws Exception {
    stage(
        "v1",
        "(2, 'ok', 1), (1, 'dup', 1), (3, NULL, 1), (4, 'neg', -1), (5, "
            + (enforcesLength() ? "'toolong'" : "'fine'")
            + ", 1), (6, 'six', 2)");
  }

  private List<String> expectedBadRows() {
    var out = new ArrayList<>(List.of("row 2: ", "row 3: ", "row 4: "));
    if (enforcesLength()) {
      out.add("row 5: ");
    }
    return out;
  }

  @Test
  void rows_that_break_a_constraint_are_set_aside_and_the_others_load() throws Exception {
    stageBad();
    ctx.deadLetter("dead/", "4");
    TaskResult r = load("dataset: v1");
    int bad = expectedBadRows().size();
    assertThat(r.outputs())
        .containsEntry("rows", (long) (6 - bad))
        .containsEntry("rejected", (long) bad)
        .containsEntry(
            "deadLetters", dir.resolve("dead/run-1/load-1.jsonl").toAbsolutePath().toString());
    assertThat(db.rows("SELECT id FROM orders ORDER BY id"))
        .containsExactlyElementsOf(
            enforcesLength() ? List.of("1", "2", "6") : List.of("1", "2", "5", "6"));
    List<String> letters = ctx.letters("load");
    assertThat(letters).hasSize(bad);
    for (int i = 0; i < bad; i++) {
      assertThat(letters.get(i)).contains("\"reason\":\"" + expectedBadRows().get(i));
    }
    assertThat(letters.get(0)).contains("\"record\":{\"id\":1,\"name\":\"dup\",\"qty\":1}");
    assertThat(r.audit().rowsRejected()).isEqualTo(bad);
  }

  @Test
  void an_append_run_again_adds_no_rows_and_keeps_the_letters_of_the_load_that_did_it()
      throws Exception {
    stageBad();
    ctx.deadLetter("dead/", "10");
    load("dataset: v1");
    TaskResult again = load("dataset: v1");
    assertThat(again.outputs()).containsEntry("alreadyLoaded", true);
    assertThat(db.rows("SELECT count(*) FROM orders"))
        .containsExactly(enforcesLength() ? "3" : "4");
    // as when a run is resumed after its load committed: the letters of that load stay
    assertThat(ctx.letters("load")).hasSize(expectedBadRows().size());
  }

  @Test
  void an_upsert_run_again_rewrites_its_letters_instead_of_adding_to_them() throws Exception {
    stageBad();
    ctx.deadLetter("dead/", "10");
    load("dataset: v1, mode: upsert, key: [id]");
    load("dataset: v1, mode: upsert, key: [id]");
    // an upsert takes the duplicate key: the others are set aside, once
    assertThat(ctx.letters("load")).hasSize(expectedBadRows().size() - 1);
    assertThat(db.rows("SELECT count(*) FROM orders"))
        .containsExactly(enforcesLength() ? "3" : "4");
  }

  @Test
  void more_bad_rows_than_maxRejected_fail_the_task_and_load_none() throws Exception {
    stageBad();
    ctx.deadLetter("dead/", "1");
    int bad = expectedBadRows().size();
    assertThatThrownBy(() -> load("dataset: v1"))
        .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageStartingWith(
            "task load set aside "
                + bad
                + " of 6 records ("
                + Math.round(bad * 100.0 / 6)
                + "%),"
                + " more than maxRejected 1; see "
                + dir.resolve("dead/run-1/load-1.jsonl").toAbsolutePath()
                + " (first: row 2: ");
    assertThat(db.rows("SELECT id FROM orders")).containsExactly("1");
    assertThat(ctx.letters("load")).hasSize(bad);
  }

  @Test
  void an_append_over_the_limit_loads_none_then_after_a_fix_loads_the_good_rows_once()
      throws Exception {
    stageBad();
    int bad = expectedBadRows().size();
    ctx.deadLetter("dead/", "50%");
    // 4 of 6 bad (3 of 6 where lengths are not checked): over 50% leaves the table as it was
    if (bad > 3) {
      assertThatThrownBy(() -> load("dataset: v1"))
          .isInstanceOfSatisfying(
              TaskFailedException.class, e -> assertThat(e.retryable()).isFalse())
          .hasMessageContaining("more than maxRejected 50%")
          .hasMessageContaining(
              "Nothing of this attempt was kept: fix the data and `weir retry run-1`");
      assertThat(db.rows("SELECT id FROM orders")).containsExactly("1");
      // the letters stay to show what was wrong
      assertThat(ctx.letters("load")).hasSize(bad);
    }
    ctx.deadLetter("dead/", "100%");
    TaskResult r = load("dataset: v1");
    assertThat(r.outputs()).containsEntry("rows", (long) (6 - bad));
    assertThat(ctx.letters("load")).hasSize(bad);
    // the same run again (a retry, a resumed run): nothing appended twice
    TaskResult again = load("dataset: v1");
    assertThat(again.outputs()).containsEntry("alreadyLoaded", true).containsEntry("rows", 0L);
    assertThat(db.rows("SELECT id FROM orders ORDER BY id"))
        .containsExactlyElementsOf(
            enforcesLength() ? List.of("1", "2", "6") : List.of("1", "2", "5", "6"));
    assertThat(ctx.letters("load")).hasSize(bad);
  }

  @Test
  void letters_that_cannot_be_stored_leave_the_target_as_it_was() throws Exception {
    stageBad();
    // a dead-letter table on a database that is down: nothing listens on port 1
    ctx.connection("gone", "jdbc:postgresql://127.0.0.1:1/none?user=x&connectTimeout=2");
    ctx.deadLetter(new dev.weir.deadletter.DeadLetterSpec(null, "dead_letters", "gone", "10"));
    assertThatThrownBy(() -> load("dataset: v1"))
        .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageStartingWith(
            "cannot store the dead letters of task load at table:gone/dead_letters#")
        .hasMessageContaining("(" + expectedBadRows().size() + " set aside)")
        .hasMessageContaining("nothing was committed to the target");
    assertThat(db.rows("SELECT id FROM orders")).containsExactly("1");
  }

  @Test
  void a_load_without_bad_rows_commits_while_the_dead_letter_storage_is_down() throws Exception {
    stage("v4", "(8, 'a', 1), (9, 'b', 2)");
    ctx.connection("gone", "jdbc:postgresql://127.0.0.1:1/none?user=x&connectTimeout=2");
    ctx.deadLetter(new dev.weir.deadletter.DeadLetterSpec(null, "dead_letters", "gone", "10"));
    // with the state store's index, as the engine runs it: it says no letters are to be replaced
    try (var store = dev.weir.store.JdbcStateStore.h2(dir.resolve(".weir"))) {
      ctx.store(store);
      TaskResult r = load("dataset: v4");
      assertThat(r.outputs())
          .containsEntry("rows", 2L)
          .containsEntry("rejected", 0L)
          .containsEntry("deadLetters", "");
    }
    assertThat(db.rows("SELECT id FROM orders ORDER BY id")).containsExactly("1", "8", "9");
  }

  @Test
  void past_the_row_retry_budget_the_load_fails_as_without_dead_letters() throws Exception {
    stageBad();
    ctx.deadLetter("dead/", "10");
    assertThatThrownBy(() -> load("dataset: v1, rowRetryBudget: 2"))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("more than rowRetryBudget 2 rows would be")
        .hasMessageContaining("nothing was loaded");
    assertThat(db.rows("SELECT id FROM orders")).containsExactly("1");
  }

  @Test
  void upsert_updates_the_good_rows_and_sets_the_bad_aside() throws Exception {
    stage("v2", "(1, 'new', 5), (7, NULL, 1), (8, 'e', 0)");
    ctx.deadLetter("dead/", "1");
    TaskResult r = load("dataset: v2, mode: upsert, key: [id]");
    assertThat(r.outputs()).containsEntry("rejected", 1L);
    assertThat(db.rows("SELECT id, name, qty FROM orders ORDER BY id"))
        .containsExactly("1|new|5", "8|e|0");
    assertThat(ctx.letters("load")).singleElement().asString().contains("row 2: ");
  }

  @Test
  void replace_keeps_the_good_rows_only() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        replaceKeepsConstraints(), "replace swaps in a table without constraints here");
    stage("v3", "(8, 'a', 1), (9, 'b', -5)");
    ctx.deadLetter("dead/", "50%");
    load("dataset: v3, mode: replace");
    assertThat(db.rows("SELECT id FROM orders ORDER BY id")).containsExactly("8");
  }

  @Test
  void without_deadLetter_a_bad_row_fails_the_load_as_before() throws Exception {
    stageBad();
    assertThatThrownBy(() -> load("dataset: v1")).isInstanceOf(Exception.class);
    assertThat(db.rows("SELECT id FROM orders")).containsExactly("1");
  }
}
