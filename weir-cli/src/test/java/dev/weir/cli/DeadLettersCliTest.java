package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `weir deadletters list|show|replay` over a jdbc.load that set a row aside. */
class DeadLettersCliTest {
  @TempDir Path dir;

  private void sql(String... statements) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("dw.duckdb"));
        var st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  private List<String> rows() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("dw.duckdb"));
        var rs = c.createStatement().executeQuery("SELECT id, qty FROM orders ORDER BY id")) {
      var out = new ArrayList<String>();
      while (rs.next()) {
        out.add(rs.getInt(1) + "|" + rs.getInt(2));
      }
      return out;
    }
  }

  @Test
  void a_row_set_aside_is_listed_shown_and_after_a_fix_replayed_once() throws Exception {
    sql("CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER CHECK (qty >= 0))");
    Path flow = dir.resolve("flow.yaml");
    Files.writeString(
        flow,
        """
        id: orders
        namespace: shop
        tasks:
          - id: stage
            type: sql.transform
            sql: SELECT * FROM (VALUES (1, 5), (2, -1), (3, 7)) t(id, qty)
          - id: load
            type: jdbc.load
            url: jdbc:duckdb:dw.duckdb
            dataset: stage
            table: orders
            mode: upsert
            key: [id]
            deadLetter: {path: dead/, maxRejected: 1}
        """);
    String home = dir.resolve(".weir").toString();
    Cli.Result run = Cli.run("run", flow.toString(), "--home", home, "--json");
    assertThat(run.exit()).as(run.err() + run.out()).isZero();
    String runId = new ObjectMapper().readTree(run.out()).get("runId").asText();
    assertThat(rows()).containsExactly("1|5", "3|7");

    JsonNode list =
        new ObjectMapper().readTree(Cli.run("deadletters", "list", "--home", home, "--json").out());
    JsonNode batch = list.get("deadLetters").get(0);
    String id = batch.get("id").asText();
    assertThat(batch.get("run").asText()).isEqualTo(runId);
    assertThat(batch.get("letters").asLong()).isEqualTo(1);
    assertThat(Cli.run("deadletters", "list", "--flow", "shop/orders", "--home", home).out())
        .contains(id)
        .contains("shop.orders")
        .contains(runId);
    assertThat(Cli.run("deadletters", "list", "--run", "nope", "--home", home).out())
        .contains("no dead letters for this filter");

    Cli.Result show = Cli.run("deadletters", "show", id.substring(0, 6), "--home", home);
    assertThat(show.out())
        .contains("Letters   1 of 3 records handled")
        .contains("Where     " + dir.resolve("dead/" + runId + "/load-1.jsonl"))
        .contains("1. row 2: Constraint Error: CHECK constraint failed")
        .contains("{\"id\":2,\"qty\":-1}");

    // the fix: the table takes negative quantities now
    sql(
        "CREATE TABLE orders_new (id INTEGER PRIMARY KEY, qty INTEGER)",
        "INSERT INTO orders_new SELECT * FROM orders",
        "DROP TABLE orders",
        "ALTER TABLE orders_new RENAME TO orders");
    Cli.Result replay = Cli.run("deadletters", "replay", id, "--home", home);
    assertThat(replay.exit()).as(replay.err() + replay.out()).isZero();
    assertThat(replay.out()).contains("loaded 1, still dead 0");
    assertThat(rows()).containsExactly("1|5", "2|-1", "3|7");

    Cli.Result again = Cli.run("deadletters", "replay", id, "--home", home);
    assertThat(again.exit()).isNotZero();
    assertThat(again.err()).contains("was replayed at").contains("add --force");
    assertThat(Cli.run("deadletters", "show", id, "--home", home).out())
        .contains("Replayed ")
        .contains("loaded 1, still dead 0");
  }

  private static final String LOAD_FLOW =
      """
      id: orders
      namespace: shop
      tasks:
        - id: stage
          type: sql.transform
          sql: SELECT * FROM (VALUES (1, 5), (2, -1), (3, -2)) t(id, qty)
        - id: load
          type: jdbc.load
          url: jdbc:duckdb:dw.duckdb
          dataset: stage
          table: orders
          deadLetter: %s
      """;

  private String onlyBatch(String home) throws Exception {
    return new ObjectMapper()
        .readTree(Cli.run("deadletters", "list", "--home", home, "--json").out())
        .get("deadLetters")
        .get(0)
        .get("id")
        .asText();
  }

  @Test
  void show_and_replay_name_the_batch_the_run_and_the_fix_when_the_letters_file_is_gone()
      throws Exception {
    sql("CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER CHECK (qty >= 0))");
    Path flow = dir.resolve("flow.yaml");
    Files.writeString(flow, LOAD_FLOW.formatted("{path: dead/, maxRejected: 2}"));
    String home = dir.resolve(".weir").toString();
    Cli.Result run = Cli.run("run", flow.toString(), "--home", home, "--json");
    assertThat(run.exit()).as(run.err() + run.out()).isZero();
    String runId = new ObjectMapper().readTree(run.out()).get("runId").asText();
    String id = onlyBatch(home);
    Path file = dir.resolve("dead/" + runId + "/load-1.jsonl");
    assertThat(file).exists();
    // someone cleaned the directory up
    Files.delete(file);
    Files.delete(file.getParent());

    Cli.Result show = Cli.run("deadletters", "show", id, "--home", home);
    assertThat(show.exit()).isNotZero();
    assertThat(show.err())
        .contains(
            "error: cannot read the letters of batch "
                + id
                + " (run "
                + runId
                + ", task load, attempt 1, 2 letters) at "
                + file
                + ": ")
        .contains("The file is gone: was the dead-letter directory moved or deleted?")
        .doesNotContain("internal error");

    Cli.Result replay = Cli.run("deadletters", "replay", id, "--home", home);
    assertThat(replay.exit()).isNotZero();
    assertThat(replay.err())
        .contains("cannot read the letters of batch " + id + " (run " + runId)
        .contains(file.toString())
        .contains("Put the file back at that path")
        .endsWith("batch held. Nothing was replayed.\n");
    // not recorded as replayed: once the file is back, the replay goes ahead
    assertThat(Cli.run("deadletters", "show", id, "--home", home).out()).doesNotContain("Replayed");
  }

  @Test
  void replay_names_the_connection_and_the_fix_when_the_dead_letter_database_is_down()
      throws Exception {
    sql("CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER CHECK (qty >= 0))");
    Files.writeString(
        dir.resolve("weir.yaml"),
        "connections:\n  dlq: {url: 'jdbc:duckdb:" + dir.resolve("dlq.duckdb") + "'}\n");
    Path flow = dir.resolve("flow.yaml");
    Files.writeString(
        flow, LOAD_FLOW.formatted("{table: dead_letters, connection: dlq, maxRejected: 2}"));
    String home = dir.resolve(".weir").toString();
    Cli.Result run = Cli.run("run", flow.toString(), "--home", home, "--json");
    assertThat(run.exit()).as(run.err() + run.out()).isZero();
    String runId = new ObjectMapper().readTree(run.out()).get("runId").asText();
    String id = onlyBatch(home);
    // the dead-letter database moves to a server that is down: nothing listens on port 1
    Files.writeString(
        dir.resolve("weir.yaml"),
        "connections:\n  dlq: {url: 'jdbc:postgresql://127.0.0.1:1/dlq?user=weir'}\n");

    Cli.Result replay = Cli.run("deadletters", "replay", id, "--home", home);
    assertThat(replay.exit()).isNotZero();
    assertThat(replay.err())
        .contains("cannot read the letters of batch " + id + " (run " + runId + ", task load")
        .contains("at table:dlq/dead_letters#" + id)
        .contains("Check that the database of connection 'dlq' is reachable")
        .contains("weir.yaml beside the flow (" + dir)
        .contains("Nothing was replayed.")
        .doesNotContain("internal error");
  }

  @Test
  void a_batch_of_an_attempt_that_set_aside_too_many_is_not_replayed_without_force()
      throws Exception {
    sql("CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER CHECK (qty >= 0))");
    Path flow = dir.resolve("flow.yaml");
    Files.writeString(flow, LOAD_FLOW.formatted("{path: dead/, maxRejected: 1}"));
    String home = dir.resolve(".weir").toString();
    Cli.Result run = Cli.run("run", flow.toString(), "--home", home, "--json");
    assertThat(run.exit()).isNotZero();
    String runId = new ObjectMapper().readTree(run.out()).get("runId").asText();
    assertThat(rows()).isEmpty();
    String id = onlyBatch(home);

    Cli.Result replay = Cli.run("deadletters", "replay", id, "--home", home);
    assertThat(replay.exit()).isNotZero();
    assertThat(replay.err())
        .contains("which failed for setting aside more than maxRejected")
        .contains("a replay would load these 2 rows without the good ones")
        .contains("`weir retry " + runId + "`");
    assertThat(rows()).isEmpty();
  }

  @Test
  void rows_that_still_fail_on_replay_stay_dead_in_a_batch_of_the_replay_run() throws Exception {
    sql("CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL CHECK (qty >= 0))");
    Path flow = dir.resolve("flow.yaml");
    Files.writeString(
        flow,
        """
        id: orders
        namespace: shop
        tasks:
          - id: stage
            type: sql.transform
            sql: SELECT * FROM (VALUES (1, 5), (2, -1), (3, NULL)) t(id, qty)
          - id: load
            type: jdbc.load
            url: jdbc:duckdb:dw.duckdb
            dataset: stage
            table: orders
            deadLetter: {path: dead/, maxRejected: 2}
        """);
    String home = dir.resolve(".weir").toString();
    assertThat(Cli.run("run", flow.toString(), "--home", home).exit()).isZero();
    String id =
        new ObjectMapper()
            .readTree(Cli.run("deadletters", "list", "--home", home, "--json").out())
            .get("deadLetters")
            .get(0)
            .get("id")
            .asText();
    // the check goes, the NOT NULL stays
    sql(
        "CREATE TABLE orders_new (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL)",
        "INSERT INTO orders_new SELECT * FROM orders",
        "DROP TABLE orders",
        "ALTER TABLE orders_new RENAME TO orders");
    Cli.Result replay = Cli.run("deadletters", "replay", id, "--home", home);
    assertThat(replay.exit()).as(replay.err() + replay.out()).isZero();
    assertThat(replay.out()).containsPattern("loaded 1, still dead 1 \\(batch [0-9a-f]{16}\\)");
    assertThat(rows()).containsExactly("1|5", "2|-1");
    JsonNode batches =
        new ObjectMapper()
            .readTree(Cli.run("deadletters", "list", "--home", home, "--json").out())
            .get("deadLetters");
    assertThat(batches).hasSize(2);
    assertThat(batches.get(0).get("firstReason").asText()).contains("NOT NULL constraint failed");
  }

  @Test
  void a_file_read_batch_is_not_replayed_and_says_what_to_do_instead() throws Exception {
    Files.writeString(dir.resolve("orders.csv"), "id,amount\n1,10\n2,abc\n");
    Path flow = dir.resolve("flow.yaml");
    Files.writeString(
        flow,
        """
        id: reads
        tasks:
          - id: orders
            type: file.read
            path: orders.csv
            schema: {id: BIGINT, amount: BIGINT}
            deadLetter: {path: dead/, maxRejected: 50%}
        """);
    String home = dir.resolve(".weir").toString();
    Cli.Result run = Cli.run("run", flow.toString(), "--home", home, "--json");
    assertThat(run.exit()).as(run.err()).isZero();
    String runId = new ObjectMapper().readTree(run.out()).get("runId").asText();
    String id =
        new ObjectMapper()
            .readTree(Cli.run("deadletters", "list", "--home", home, "--json").out())
            .get("deadLetters")
            .get(0)
            .get("id")
            .asText();
    Cli.Result replay = Cli.run("deadletters", "replay", id, "--home", home);
    assertThat(replay.exit()).isNotZero();
    assertThat(replay.err())
        .contains(
            "cannot replay batch "
                + id
                + ": file.read letters are rows of the source file as it was; fix the file and"
                + " `weir retry "
                + runId
                + "`");
  }

  @Test
  void queue_messages_whose_run_could_not_start_replay_as_runs_of_the_flow_as_it_is_now()
      throws Exception {
    Path flow = dir.resolve("q.yaml");
    String yaml =
        """
        id: q
        namespace: queues
        inputs:
          - {id: n, type: string, default: "-"}
        tasks:
          - id: take
            type: noop
        triggers:
          - id: orders
            type: rabbitmq
            connection: events
            queue: orders
            deadLetter: dead/
            key: "{{ trigger.headers.h }}-{{ trigger.messageId }}"
            inputs: {n: "%s"}
        """;
    // a template that still fails for one of the three messages (n is no mapping there)
    Files.writeString(flow, yaml.formatted("{{ trigger.json.n.id }}"));
    String home = dir.resolve(".weir").toString();
    assertThat(Cli.run("run", flow.toString(), "--home", home).exit()).isZero(); // makes the home
    String batchId;
    try (var store = dev.weir.store.JdbcStateStore.h2(Path.of(home))) {
      var origin = dev.weir.deadletter.Origin.ofTrigger("queues", "q", "orders", "abc");
      try (var sink =
          dev.weir.deadletter.DeadLetterSink.open(
              new dev.weir.deadletter.DeadLetterSpec(
                  dir.resolve("dead").toString(), null, null, "100%"),
              origin,
              "queue.rabbitmq",
              new dev.weir.deadletter.DeadLetterStorage.Environment(dir, name -> null),
              text -> text,
              store.deadLetters(),
              java.time.InstantSource.system())) {
        var bodies = List.of("{\"n\": {\"id\": 1}}", "{\"n\": 2}", "{\"n\": {\"id\": 3}}");
        for (int i = 0; i < bodies.size(); i++) {
          String body = bodies.get(i);
          var record = new java.util.LinkedHashMap<String, Object>();
          record.put("messageId", "m-" + i);
          record.put("body", body);
          record.put("headers", java.util.Map.of("h", "v"));
          record.put("source", "orders");
          sink.reject(record, "input 'n' does not render");
        }
        sink.finish();
      }
      batchId = origin.batchId();
    }
    assertThat(Cli.run("deadletters", "list", "--flow", "queues/q", "--home", home).out())
        .contains(batchId)
        .contains("trigger:orders");

    Cli.Result noFlow = Cli.run("deadletters", "replay", batchId, "--home", home);
    assertThat(noFlow.exit()).isNotZero();
    assertThat(noFlow.err())
        .contains("rabbitmq trigger 'orders' of queues.q")
        .contains("--flow flows/q.yaml");

    Cli.Result still =
        Cli.run("deadletters", "replay", batchId, "--flow", flow.toString(), "--home", home);
    assertThat(still.exit()).as(still.err() + still.out()).isNotZero();
    assertThat(still.out()).contains("started 2 runs (2 succeeded), 1 still cannot start");

    Files.writeString(flow, yaml.formatted("{{ trigger.json.n }}")); // the fix
    Cli.Result fixed =
        Cli.run(
            "deadletters", "replay", batchId, "--flow", flow.toString(), "--force", "--home", home);
    assertThat(fixed.exit()).as(fixed.err() + fixed.out()).isZero();
    // per message: the two that started runs on the first replay are not started again
    assertThat(fixed.out())
        .contains(
            "started 1 run (1 succeeded), 0 still cannot start, 2 skipped (their run was started"
                + " before)");
    Cli.Result again =
        Cli.run(
            "deadletters", "replay", batchId, "--flow", flow.toString(), "--force", "--home", home);
    assertThat(again.out())
        .contains("started 0 runs (0 succeeded), 0 still cannot start, 3 skipped");
    try (var store = dev.weir.store.JdbcStateStore.h2(Path.of(home))) {
      assertThat(store.listRuns(new dev.weir.store.StateStore.RunQuery("queues", "q", null, 100)))
          .filteredOn(r -> "rabbitmq".equals(r.trigger()))
          .hasSize(3)
          // trigger.key as the server renders it from the trigger's key:, not the message id
          .anySatisfy(r -> assertThat(r.triggerData()).contains("\"key\":\"v-m-1\""));
    }
  }
}
