package dev.weir.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.engine.RunListener;
import dev.weir.flow.FlowDefinitionException;
import dev.weir.store.DeadLetterRecord;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.TaskRunRecord;
import dev.weir.testing.EngineFixture;
import dev.weir.testing.TestTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLettersEngineTest {
  private static final String SECRET = "canary-5ecret-value";

  @TempDir Path dir;
  EngineFixture fx;

  @BeforeEach
  void setUp() {
    TestTasks.reset();
    fx =
        new EngineFixture(
            dir,
            dev.weir.store.JdbcStateStore.h2(dir.resolve(".weir")),
            Map.of("WEIR_SECRET_CANARY", SECRET),
            RunListener.NONE);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private TaskRunRecord task(RunRecord run) {
    return fx.latest(run.id()).get("load");
  }

  @Test
  void below_the_threshold_the_task_succeeds_with_rejected_and_where_the_letters_are()
      throws Exception {
    RunRecord run =
        fx.run(
            """
            id: orders
            namespace: shop
            tasks:
              - id: load
                type: test.rejects
                records: [a, b, c, d]
                bad: [c]
                deadLetter: {path: "dead/{{ flow.id }}/", maxRejected: 25%}
            """);
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    Path file = dir.resolve("dead/orders/" + run.id() + "/load-1.jsonl");
    assertThat(task(run).outputs())
        .contains("\"rejected\":1")
        .contains("\"deadLetters\":\"" + file + "\"");
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .contains("\"record\":{\"value\":\"c\"}")
        .contains("\"reason\":\"c: bad\"")
        .contains("\"namespace\":\"shop\",\"flow\":\"orders\",\"run\":\"" + run.id() + "\"")
        .contains("\"task\":\"load\",\"taskType\":\"test.rejects\",\"attempt\":1");
    DeadLetterRecord batch = fx.store.deadLetters().list("shop", "orders", null, 10).get(0);
    assertThat(batch.letters()).isEqualTo(1);
    assertThat(batch.handled()).isEqualTo(4);
    assertThat(batch.location()).isEqualTo(file.toString());
    assertThat(batch.firstReason()).isEqualTo("c: bad");
  }

  @Test
  void more_than_maxRejected_fails_the_task_naming_the_count_the_limit_and_the_letters() {
    RunRecord run =
        fx.run(
            """
            id: orders
            tasks:
              - id: load
                type: test.rejects
                records: [a, b, c, d, e, f, g, h, i, j]
                bad: [c, e]
                retry: {attempts: 3, delay: 1ms}
                deadLetter: {path: dead/, maxRejected: 10%}
            """);
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    Path file = dir.resolve("dead/" + run.id() + "/load-1.jsonl");
    assertThat(task(run).error())
        .isEqualTo(
            "task load set aside 2 of 10 records (20%), more than maxRejected 10%; see "
                + file
                + " (first: c: bad). Nothing of this attempt was kept: fix the data and `weir"
                + " retry "
                + run.id()
                + "`, or raise deadLetter.maxRejected (these would pass with `maxRejected: 2` or"
                + " `maxRejected: 20%`)");
    // bad data does not get better by trying again
    assertThat(fx.attempts(run.id(), "load")).hasSize(1);
    assertThat(file).exists();
  }

  @Test
  void without_maxRejected_one_bad_record_fails_the_task_and_is_kept() {
    RunRecord run =
        fx.run(
            """
            id: orders
            tasks:
              - {id: load, type: test.rejects, records: [a, b], bad: [b], deadLetter: dead/}
            """);
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(task(run).error())
        .startsWith("task load set aside 1 of 2 records (50%), more than maxRejected 0;");
    assertThat(dir.resolve("dead/" + run.id() + "/load-1.jsonl")).exists();
  }

  @Test
  void an_attempt_that_fails_otherwise_keeps_no_letters_and_the_retry_keeps_its_own() {
    RunRecord run =
        fx.run(
            """
            id: orders
            tasks:
              - id: load
                type: test.rejects
                records: [a, b, c]
                bad: [b]
                failFirst: 1
                retry: {attempts: 2, delay: 1ms}
                deadLetter: {path: dead/, maxRejected: 1}
            """);
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(dir.resolve("dead/" + run.id() + "/load-1.jsonl")).doesNotExist();
    assertThat(dir.resolve("dead/" + run.id() + "/load-2.jsonl")).exists();
    assertThat(fx.store.deadLetters().list(null, null, run.id(), 10))
        .singleElement()
        .satisfies(b -> assertThat(b.attempt()).isEqualTo(2));
  }

  @Test
  void the_same_attempt_run_again_rewrites_its_letters_instead_of_adding_to_them()
      throws Exception {
    var spec = new DeadLetterSpec("dead/", null, null, "10");
    var origin = new Origin("shop", "orders", "r1", "load", 1);
    var env = new DeadLetterStorage.Environment(dir, name -> null);
    for (int round = 1; round <= 2; round++) {
      try (var sink =
          DeadLetterSink.open(
              spec,
              origin,
              "test.rejects",
              env,
              s -> s,
              fx.store.deadLetters(),
              InstantSource.fixed(Instant.EPOCH))) {
        for (int i = 0; i < 4 - round; i++) {
          sink.reject(Map.of("n", i), "bad " + i);
        }
        sink.handled(10);
        sink.finish();
      }
    }
    assertThat(Files.readAllLines(dir.resolve("dead/r1/load-1.jsonl"))).hasSize(2);
    assertThat(fx.store.deadLetters().list(null, null, "r1", 10))
        .singleElement()
        .satisfies(b -> assertThat(b.letters()).isEqualTo(2));
  }

  @Test
  void an_attempt_that_finds_its_work_done_keeps_the_letters_of_the_run_that_did_it()
      throws Exception {
    var spec = new DeadLetterSpec("dead/", null, null, "10");
    var origin = new Origin("shop", "orders", "r1", "load", 1);
    var env = new DeadLetterStorage.Environment(dir, name -> null);
    try (var sink =
        DeadLetterSink.open(
            spec,
            origin,
            "jdbc.load",
            env,
            s -> s,
            fx.store.deadLetters(),
            InstantSource.fixed(Instant.EPOCH))) {
      sink.reject(Map.of("n", 1), "bad");
      sink.reject(Map.of("n", 2), "bad");
      sink.finish();
    }
    try (var sink =
        DeadLetterSink.open(
            spec,
            origin,
            "jdbc.load",
            env,
            s -> s,
            fx.store.deadLetters(),
            InstantSource.fixed(Instant.EPOCH))) {
      sink.keepEarlier();
      assertThat(sink.finish())
          .containsEntry("rejected", 2L)
          .containsEntry("deadLetters", dir.resolve("dead/r1/load-1.jsonl").toString());
    }
    assertThat(Files.readAllLines(dir.resolve("dead/r1/load-1.jsonl"))).hasSize(2);
    assertThat(fx.store.deadLetters().find(origin.batchId()).orElseThrow().letters()).isEqualTo(2);
  }

  @Test
  void a_retry_that_finds_the_append_done_reports_the_letters_of_the_attempt_that_did_it()
      throws Exception {
    // attempt 1's commit lost its reply: it committed, its letters were kept, the task failed
    var spec = new DeadLetterSpec("dead/", null, null, "10");
    var env = new DeadLetterStorage.Environment(dir, name -> null);
    var first = new Origin("shop", "orders", "r1", "load", 1);
    try (var sink =
        DeadLetterSink.open(
            spec,
            first,
            "jdbc.load",
            env,
            s -> s,
            fx.store.deadLetters(),
            InstantSource.fixed(Instant.EPOCH))) {
      sink.reject(Map.of("n", 1), "bad");
      sink.reject(Map.of("n", 2), "bad");
      sink.reject(Map.of("n", 3), "bad");
      try {
        sink.storeThenCommit(() -> {
          throw new java.sql.SQLException("An I/O error occurred", "08006");
        });
      } catch (java.sql.SQLException expected) {
        // the attempt fails, retryably
      }
    }
    try (var sink =
        DeadLetterSink.open(
            spec,
            new Origin("shop", "orders", "r1", "load", 2),
            "jdbc.load",
            env,
            s -> s,
            fx.store.deadLetters(),
            InstantSource.fixed(Instant.EPOCH))) {
      sink.keepEarlier();
      assertThat(sink.finish())
          .containsEntry("rejected", 3L)
          .containsEntry("deadLetters", dir.resolve("dead/r1/load-1.jsonl").toString());
    }
    assertThat(Files.readAllLines(dir.resolve("dead/r1/load-1.jsonl"))).hasSize(3);
  }

  @Test
  void server_code_without_a_task_context_keeps_letters_of_no_run() throws Exception {
    var origin = new Origin("shop", "orders", null, "trigger:queue", 0);
    try (var sink =
        DeadLetterSink.open(
            new DeadLetterSpec("dead/", null, null, "100%"),
            origin,
            "queue.rabbitmq",
            new DeadLetterStorage.Environment(dir, name -> null),
            fx.engine.masker()::mask,
            fx.store.deadLetters(),
            InstantSource.fixed(Instant.EPOCH))) {
      sink.reject("{\"body\": \"token " + SECRET + "\"}", "no run could start: flow disabled");
      sink.handled(1);
      assertThat(sink.finish()).containsEntry("rejected", 1L);
    }
    assertThat(Files.readString(dir.resolve("dead/no-run/trigger_queue-0.jsonl")))
        .contains("\"run\":null")
        .contains("\"taskType\":\"queue.rabbitmq\"")
        .doesNotContain(SECRET);
    DeadLetterRecord b = fx.store.deadLetters().find(origin.batchId()).orElseThrow();
    assertThat(b.runId()).isNull();
    assertThat(b.firstReason()).isEqualTo("no run could start: flow disabled");
  }

  @Test
  void secrets_in_records_and_reasons_are_masked_in_the_letters_and_the_index() throws Exception {
    RunRecord run =
        fx.run(
            """
            id: orders
            tasks:
              - id: load
                type: test.rejects
                records: ["token={{ secret('CANARY') }}", ok]
                bad: ["token={{ secret('CANARY') }}"]
                deadLetter: {path: dead/, maxRejected: 1}
            """);
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    String letters = Files.readString(dir.resolve("dead/" + run.id() + "/load-1.jsonl"));
    assertThat(letters).doesNotContain(SECRET).contains("token=******");
    assertThat(fx.store.deadLetters().list(null, null, run.id(), 1).get(0).firstReason())
        .isEqualTo("token=******: bad");
  }

  @Test
  void deadLetter_on_a_task_type_that_sets_no_records_aside_is_refused_naming_those_that_do() {
    Path f =
        fx.write(
            "bad.yaml",
            """
            id: bad
            tasks:
              - {id: a, type: test.ok, deadLetter: dead/}
            """);
    assertThatThrownBy(() -> fx.parse(f))
        .isInstanceOf(FlowDefinitionException.class)
        .hasMessageContaining(
            "tasks[0].deadLetter: a test.ok task sets no records aside, so deadLetter does nothing"
                + " here; remove it (task types that take deadLetter: test.rejects)");
  }

  @Test
  void an_unknown_name_in_the_deadLetter_path_is_a_validation_error() {
    Path f =
        fx.write(
            "bad.yaml",
            """
            id: bad
            tasks:
              - {id: a, type: test.rejects, records: [a], deadLetter: "dead/{{ flow.idd }}/"}
            """);
    assertThatThrownBy(() -> fx.parse(f)).hasMessageContaining("tasks[0].deadLetter.path");
  }

  @Test
  void a_deadLetter_with_neither_path_nor_table_or_a_bad_limit_is_refused() {
    Path f =
        fx.write(
            "bad.yaml",
            """
            id: bad
            tasks:
              - {id: a, type: test.rejects, records: [a], deadLetter: {maxRejected: lots}}
              - {id: b, type: test.rejects, records: [a], deadLetter: {path: d/, maxRejected: lots}}
            """);
    assertThatThrownBy(() -> fx.parse(f))
        .hasMessageContaining("tasks[0].deadLetter: deadLetter needs `path:`")
        .hasMessageContaining(
            "tasks[1].deadLetter.maxRejected: maxRejected 'lots' is neither a record count nor a"
                + " percentage");
  }
}
