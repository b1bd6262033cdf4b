package dev.weir.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.store.JdbcStateStore;
import dev.weir.task.TaskFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task's target commits only after its letters are judged and stored. */
class StoreThenCommitTest {
  @TempDir Path dir;
  JdbcStateStore store;
  final Origin origin = new Origin("shop", "orders", "r1", "load", 1);

  @BeforeEach
  void setUp() {
    Unreachable.touched.set(0);
    store = JdbcStateStore.h2(dir.resolve(".weir"));
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  private DeadLetterSink open(String maxRejected) throws Exception {
    return open("dead/", maxRejected);
  }

  private DeadLetterSink open(String path, String maxRejected) throws Exception {
    return DeadLetterSink.open(
        new DeadLetterSpec(path, null, null, maxRejected),
        origin,
        "jdbc.load",
        new DeadLetterStorage.Environment(dir, name -> null),
        s -> s,
        store.deadLetters(),
        InstantSource.fixed(Instant.EPOCH));
  }

  private Path file() {
    return dir.resolve("dead/r1/load-1.jsonl");
  }

  @Test
  void the_letters_are_stored_and_indexed_before_the_target_commits() throws Exception {
    try (var sink = open("5")) {
      sink.reject(Map.of("id", 3), "row 3: null name");
      sink.handled(6);
      sink.storeThenCommit(() -> {
        assertThat(file()).exists();
        assertThat(store.deadLetters().find(origin.batchId())).isPresent();
      });
      assertThat(sink.finish())
          .containsEntry("rejected", 1L)
          .containsEntry("deadLetters", file().toString());
    }
    assertThat(Files.readAllLines(file())).hasSize(1);
  }

  @Test
  void too_many_letters_fail_before_the_target_commits_and_stay_to_be_seen() throws Exception {
    var committed = new AtomicBoolean();
    try (var sink = open("1")) {
      sink.reject(Map.of("id", 3), "row 3: null name");
      sink.reject(Map.of("id", 4), "row 4: negative qty");
      sink.handled(6);
      assertThatThrownBy(() -> sink.storeThenCommit(() -> committed.set(true)))
          .isInstanceOfSatisfying(
              TaskFailedException.class,
              e -> {
                assertThat(e.retryable()).isFalse();
                assertThat(e.outputs()).containsEntry("rejected", 2L);
              })
          .hasMessageStartingWith(
              "task load set aside 2 of 6 records (33%), more than maxRejected 1");
    }
    assertThat(committed).isFalse();
    assertThat(Files.readAllLines(file())).hasSize(2);
    assertThat(store.deadLetters().find(origin.batchId()).orElseThrow().letters()).isEqualTo(2);
  }

  @Test
  void a_target_commit_that_fails_withdraws_the_letters() throws Exception {
    try (var sink = open("5")) {
      sink.reject(Map.of("id", 3), "row 3: null name");
      sink.handled(6);
      assertThatThrownBy(() ->
              sink.storeThenCommit(() -> {
                throw new SQLException("deferred key violated", "23505");
              }))
          .isInstanceOf(SQLException.class)
          .hasMessage("deferred key violated");
      assertThatThrownBy(() -> sink.reject(Map.of("id", 5), "late"))
          .isInstanceOf(IllegalStateException.class);
    }
    assertThat(file()).doesNotExist();
    assertThat(store.deadLetters().find(origin.batchId())).isEmpty();
  }

  @Test
  void a_commit_whose_connection_broke_may_have_landed_so_its_letters_stay() throws Exception {
    try (var sink = open("5")) {
      sink.reject(Map.of("id", 3), "row 3: null name");
      sink.reject(Map.of("id", 4), "row 4: null name");
      sink.reject(Map.of("id", 5), "row 5: null name");
      sink.handled(6);
      assertThatThrownBy(() ->
              sink.storeThenCommit(() -> {
                throw new SQLException(
                    "An I/O error occurred while sending to the backend.", "08006");
              }))
          .isInstanceOf(SQLException.class)
          .satisfies(e ->
              assertThat(CommitOutcome.keptNote(e))
                  .isEqualTo(
                      "the target's commit may have succeeded (its outcome is unknown), so its 3"
                          + " dead letters at "
                          + file()
                          + " were kept; if it did not commit, a retry sets the same rows aside"
                          + " again"));
    }
    assertThat(Files.readAllLines(file())).hasSize(3);
    assertThat(store.deadLetters().find(origin.batchId()).orElseThrow().letters()).isEqualTo(3);
  }

  @Test
  void a_connection_closed_without_a_state_or_an_unknown_failure_keeps_the_letters()
      throws Exception {
    for (Exception failure :
        new Exception[] {
          new SQLException("Connection is closed"),
          new IllegalStateException("driver bug"),
          new SQLException("server said something odd", "HY000")
        }) {
      try (var sink = open("5")) {
        sink.reject(Map.of("id", 3), "row 3: null name");
        assertThatThrownBy(() ->
                sink.storeThenCommit(() -> {
                  throw failure;
                }))
            .isSameAs(failure);
        assertThat(CommitOutcome.keptNote(failure)).as(failure.toString()).isNotNull();
      }
      assertThat(file()).as(failure.toString()).exists();
      assertThat(store.deadLetters().find(origin.batchId())).as(failure.toString()).isPresent();
    }
  }

  @Test
  void a_serialization_failure_or_bad_value_at_the_commit_withdraws_the_letters() throws Exception {
    for (String state : new String[] {"40001", "22001", "23503"}) {
      var failure = new SQLException("refused at commit", state);
      try (var sink = open("5")) {
        sink.reject(Map.of("id", 3), "row 3: null name");
        assertThatThrownBy(() ->
                sink.storeThenCommit(() -> {
                  throw failure;
                }))
            .isSameAs(failure);
      }
      assertThat(CommitOutcome.keptNote(failure)).isNull();
      assertThat(file()).as(state).doesNotExist();
      assertThat(store.deadLetters().find(origin.batchId())).as(state).isEmpty();
    }
  }

  @Test
  void duckdbs_commit_time_key_clash_withdraws_the_letters() throws Exception {
    // DuckDB gives no SQLSTATE: another transaction committed the same key first
    var failure =
        new SQLException(
            "TransactionContext Error: Failed to commit: PRIMARY KEY or UNIQUE constraint"
                + " violation: duplicate key \"1\"");
    try (var sink = open("5")) {
      sink.reject(Map.of("id", 3), "row 3: null name");
      assertThatThrownBy(() ->
              sink.storeThenCommit(() -> {
                throw failure;
              }))
          .isSameAs(failure);
    }
    assertThat(CommitOutcome.keptNote(failure)).isNull();
    assertThat(file()).doesNotExist();
  }

  @Test
  void a_clean_load_commits_without_touching_the_dead_letter_storage() throws Exception {
    var committed = new AtomicBoolean();
    try (var sink = open(Unreachable.PATH, "0")) {
      sink.handled(6);
      sink.storeThenCommit(() -> committed.set(true));
      assertThat(sink.finish()).containsEntry("rejected", 0L).containsEntry("deadLetters", "");
    }
    assertThat(committed).isTrue();
    assertThat(Unreachable.touched).hasValue(0);
    assertThat(store.deadLetters().find(origin.batchId())).isEmpty();
  }

  @Test
  void a_clean_rerun_of_an_attempt_that_set_rows_aside_still_replaces_its_letters()
      throws Exception {
    try (var sink = open("5")) {
      sink.reject(Map.of("id", 3), "row 3: null name");
      sink.storeThenCommit(() -> {});
    }
    assertThat(file()).exists();
    try (var sink = open("5")) {
      sink.handled(6);
      sink.storeThenCommit(() -> {});
    }
    assertThat(file()).doesNotExist();
    assertThat(store.deadLetters().find(origin.batchId())).isEmpty();
  }

  @Test
  void a_clean_load_whose_commit_fails_does_not_touch_the_dead_letter_storage() throws Exception {
    try (var sink = open(Unreachable.PATH, "0")) {
      sink.handled(6);
      assertThatThrownBy(() ->
              sink.storeThenCommit(() -> {
                throw new SQLException("deferred key violated", "23505");
              }))
          .hasMessage("deferred key violated");
    }
    assertThat(Unreachable.touched).hasValue(0);
  }

  @Test
  void without_a_deadLetter_setting_the_target_simply_commits() throws Exception {
    var committed = new AtomicBoolean();
    DeadLetters.NONE.storeThenCommit(() -> committed.set(true));
    assertThat(committed).isTrue();
  }
}
