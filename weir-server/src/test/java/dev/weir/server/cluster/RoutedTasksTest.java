package dev.weir.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.server.ServerFixture;
import dev.weir.server.ServerOptions;
import dev.weir.server.WeirWorker;
import dev.weir.store.StoreAddress;
import dev.weir.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task attempts routed to workers: a scheduler node executes no task, workers ({@link WeirWorker})
 * take them from the store's attempt queue, with upstream datasets and outputs, secrets rendered on
 * the worker, retries, cancels and a worker leaving in the middle of a task.
 */
class RoutedTasksTest {
  private static final String SECRET = "s3cr3t-routed-value";
  // a secret JSON escapes: masking the outcome's JSON text would miss it
  private static final String QUOTED = "qu\"ot\\ed-s3cr3t";

  @TempDir Path dir;
  private String url;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void database() {
    url = TestDatabases.freshPostgresSchemaUrl();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private ServerFixture server(String id, NodeRole role, Set<String> pools) throws Exception {
    var fx = new ServerFixture(dir.resolve(id));
    open.add(fx::close);
    fx.writeFlow("routed.yaml", flow());
    fx.writeFlow("pools.yaml", poolsFlow());
    fx.writeFlow("slow.yaml", slowFlow());
    fx.writeFlow("failing.yaml", failingFlow());
    fx.writeFlow("items.yaml", itemsFlow());
    fx.writeFlow(
        "stepped.yaml",
        """
        id: stepped
        namespace: cluster
        tasks:
          - {id: m, type: test.steps, message: "token {{ secret('TOKEN') }}"}
        """);
    fx.writeFlow(
        "leaky.yaml",
        """
        id: leaky
        namespace: cluster
        tasks:
          - id: fails
            type: shell
            env:
              QUOTED: "{{ secret('QUOTED') }}"
            command: |
              echo "cannot log in with $QUOTED" >&2
              exit 4
        """);
    fx.start(
        options(fx, id)
            // QUOTED is the workers' only: what they send back must come masked
            .withEnvironment(Map.of("WEIR_SECRET_TOKEN", SECRET), null)
            .withCluster(settings(id).withWork(role, pools, 0)));
    return fx;
  }

  private ServerOptions options(ServerFixture fx, String id) {
    return fx.options()
        .withStore(StoreAddress.of(url))
        .withPools(Map.of("etl", 2, "gpu", 2))
        .withEnvironment(Map.of("WEIR_SECRET_TOKEN", SECRET, "WEIR_SECRET_QUOTED", QUOTED), null);
  }

  private ClusterSettings settings(String id) {
    // no failover by lease here (a worker leaving ends its lease at once): long enough for a busy
    // machine
    return new ClusterSettings(
        id, Duration.ofSeconds(15), Duration.ofSeconds(1), dir.resolve("staging"));
  }

  private WeirWorker worker(String id, Set<String> pools) throws Exception {
    var fx = new ServerFixture(dir.resolve(id));
    var w =
        WeirWorker.start(
            options(fx, id).withCluster(settings(id).withWork(NodeRole.WORKER, pools, 4)));
    open.add(w);
    return w;
  }

  private String flow() throws Exception {
    Path csv = dir.resolve("orders.csv");
    Files.writeString(csv, "id,status,amount\n1,shipped,10\n2,open,20\n3,shipped,30\n");
    return """
    id: routed
    namespace: cluster
    tasks:
      - id: orders
        type: file.read
        path: %s
        schema: {id: BIGINT, status: VARCHAR, amount: BIGINT}
      - id: shipped
        type: sql.transform
        sql: SELECT id, amount FROM orders WHERE status = 'shipped' ORDER BY id
      - id: export
        type: file.write
        dataset: shipped
        path: %s
      - id: check_shipped
        type: quality.check
        dataset: shipped
        checks:
          - rowCount: {min: 1}
          - unique: [id]
      - id: report
        type: shell
        dependsOn: [export, check_shipped]
        env:
          ROWS: "{{ outputs.shipped.rows }}"
          TOKEN: "{{ secret('TOKEN') }}"
        command: |
          echo "rows=$ROWS token=$TOKEN" > %s
          echo "token is $TOKEN"
    """
        .formatted(csv, dir.resolve("out/shipped.csv"), dir.resolve("report.txt"));
  }

  private static String poolsFlow() {
    return """
    id: pools
    namespace: cluster
    tasks:
      - id: local
        type: shell
        pool: etl
        command: echo local
      - id: remote
        type: shell
        pool: gpu
        command: echo remote
    """;
  }

  // notes its pid in slow.pids and "started" in slow.log, waits for the test to create slow.gate
  // (failing after 60 s without it), then notes "finished": it goes on exactly as long as the
  // test needs, however slow the machine
  private String slowFlow() {
    return """
    id: slow
    namespace: cluster
    tasks:
      - id: wait
        type: shell
        command: |
          echo $$ >> %s
          echo started >> %s
          for i in $(seq 600); do
            if [ -e %s ]; then break; fi
            sleep 0.1
          done
          if [ ! -e %s ]; then echo "no gate after 60 s" >&2; exit 1; fi
          echo finished >> %s
    """
        .formatted(
            dir.resolve("slow.pids"),
            dir.resolve("slow.log"),
            dir.resolve("slow.gate"),
            dir.resolve("slow.gate"),
            dir.resolve("slow.log"));
  }

  /** Lets the slow flow's task (the one waiting now, or any later) finish. */
  private void openGate() throws Exception {
    Files.writeString(dir.resolve("slow.gate"), "");
  }

  /** Waits until the bash of the slow task's {@code n}th attempt (from 1) has ended. */
  private void awaitSlowScriptGone(String what, int n) throws Exception {
    long pid = Long.parseLong(Files.readAllLines(dir.resolve("slow.pids")).get(n - 1).strip());
    await(
        what,
        Duration.ofSeconds(20),
        () -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty());
  }

  private String itemsFlow() throws Exception {
    Path csv = dir.resolve("sales.csv");
    Files.writeString(csv, "day,amount\n1,10\n1,5\n2,7\n3,1\n3,2\n3,3\n");
    return """
    id: items
    namespace: cluster
    tasks:
      - id: sales
        type: file.read
        path: %s
        schema: {day: INT, amount: INT}
      - id: per_day
        type: forEach
        items: [1, 2, 3]
        concurrency: 3
        tasks:
          - id: day_sales
            type: sql.transform
            sql: SELECT amount FROM sales WHERE day = {{ item }}
          - id: report
            type: shell
            env:
              LINE: "day {{ item }}: {{ outputs.day_sales.rows }} sales"
            command: echo "$LINE" >> %s
    """
        .formatted(csv, dir.resolve("days.txt"));
  }

  private static String failingFlow() {
    return """
    id: failing
    namespace: cluster
    tasks:
      - id: broken
        type: shell
        retry: {attempts: 2, delay: 100ms}
        command: |
          echo "bad line" >&2
          exit 3
    """;
  }

  private static String logs(ServerFixture fx, String runId) {
    return fx.get("/runs/" + runId + "/logs").body();
  }

  private static void await(String what, Duration limit, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @Test
  void a_scheduler_hands_every_task_to_workers_with_datasets_outputs_and_secrets()
      throws Exception {
    ServerFixture scheduler = server("s1", NodeRole.SCHEDULER, Set.of());
    worker("w1", Set.of());
    worker("w2", Set.of());

    String runId = scheduler.post("/flows/cluster/routed/runs", "{}").json().path("runId").asText();
    var run = scheduler.awaitRun(runId);

    assertThat(run.path("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertThat(Files.readString(dir.resolve("out/shipped.csv"))).contains("1,10").contains("3,30");
    assertThat(Files.readString(dir.resolve("report.txt")))
        .isEqualTo("rows=2 token=" + SECRET + "\n");
    String logs = logs(scheduler, runId);
    assertThat(logs).contains("queued for a worker").contains("runs on worker w");
    assertThat(logs.split("queued for a worker", -1)).hasSize(6); // each of the 5 tasks
    // the checks ran on a worker and were stored by the coordinator, with the attempt's result
    var checks = scheduler.get("/runs/" + runId + "/checks").json().path("checks");
    assertThat(checks).hasSize(2);
    checks.forEach(c -> assertThat(c.path("passed").asBoolean()).as(c.toString()).isTrue());
    assertThat(logs).contains("token is ****").doesNotContain(SECRET);
    try (var store = StoreAddress.of(url).open()) {
      assertThat(store.attempts().size()).as("the queue keeps only live work").isZero();
    }
  }

  @Test
  void the_steps_an_attempt_records_on_a_worker_are_stored_by_its_coordinator() throws Exception {
    ServerFixture scheduler = server("s1", NodeRole.SCHEDULER, Set.of());
    worker("w1", Set.of());

    String runId =
        scheduler.post("/flows/cluster/stepped/runs", "{}").json().path("runId").asText();
    var run = scheduler.awaitRun(runId);
    assertThat(run.path("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");

    try (var store = StoreAddress.of(url).open()) {
      var rows = new java.util.HashMap<String, dev.weir.store.TaskRunRecord>();
      store.taskRuns(runId).forEach(r -> rows.put(r.taskId(), r));
      assertThat(rows.get("m/load_orders").state().name()).isEqualTo("SUCCEEDED");
      assertThat(rows.get("m/load_orders").rows()).isEqualTo(3);
      assertThat(rows.get("m/broken").state().name()).isEqualTo("FAILED");
      assertThat(rows.get("m/broken").error()).isEqualTo("model broken: token ******");
      assertThat(rows.get("m/after_broken").state().name()).isEqualTo("UPSTREAM_FAILED");
      assertThat(store.audits(runId))
          .anyMatch(a -> a.taskId().equals("m/load_orders") && a.rowsWritten() == 3);
    }
    String stepLog = scheduler.get("/runs/" + runId + "/logs?task=m/load_orders").body();
    assertThat(stepLog).contains("loading orders (token ******)").doesNotContain(SECRET);
  }

  @Test
  void a_task_of_a_pool_the_node_does_not_serve_goes_to_a_worker_of_that_pool() throws Exception {
    ServerFixture node = server("n1", NodeRole.ALL, Set.of("etl"));
    worker("gpu-1", Set.of("gpu"));

    String runId = node.post("/flows/cluster/pools/runs", "{}").json().path("runId").asText();
    assertThat(node.awaitRun(runId).path("state").asText()).isEqualTo("SUCCEEDED");

    String local = node.get("/runs/" + runId + "/logs?task=local").body();
    String remote = node.get("/runs/" + runId + "/logs?task=remote").body();
    assertThat(local).contains("local").doesNotContain("queued for a worker");
    assertThat(remote)
        .contains("queued for a worker of pool gpu")
        .contains("runs on worker gpu-1#1");
  }

  @Test
  void the_tasks_of_forEach_items_run_on_workers_with_their_item_and_outputs() throws Exception {
    ServerFixture scheduler = server("s1", NodeRole.SCHEDULER, Set.of());
    worker("w1", Set.of());
    worker("w2", Set.of());

    String runId = scheduler.post("/flows/cluster/items/runs", "{}").json().path("runId").asText();
    var run = scheduler.awaitRun(runId);

    assertThat(run.path("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertThat(Files.readAllLines(dir.resolve("days.txt")))
        .containsExactlyInAnyOrder("day 1: 2 sales", "day 2: 1 sales", "day 3: 3 sales");
    // the file read and the six item tasks, each on a worker
    assertThat(logs(scheduler, runId).split("runs on worker w", -1)).hasSize(8);
  }

  @Test
  void a_failing_task_on_a_worker_fails_with_its_message_and_is_retried() throws Exception {
    ServerFixture scheduler = server("s1", NodeRole.SCHEDULER, Set.of());
    worker("w1", Set.of());

    String runId =
        scheduler.post("/flows/cluster/failing/runs", "{}").json().path("runId").asText();
    var run = scheduler.awaitRun(runId);

    assertThat(run.path("state").asText()).isEqualTo("FAILED");
    String body = scheduler.get("/runs/" + runId).body();
    assertThat(body).contains("exited with code 3").contains("bad line");
    assertThat(logs(scheduler, runId).split("queued for a worker", -1)).hasSize(3);
  }

  @Test
  void a_secret_that_json_escapes_is_masked_in_what_a_worker_sends_back() throws Exception {
    ServerFixture scheduler = server("s1", NodeRole.SCHEDULER, Set.of());
    worker("w1", Set.of());

    String runId = scheduler.post("/flows/cluster/leaky/runs", "{}").json().path("runId").asText();
    assertThat(scheduler.awaitRun(runId).path("state").asText()).isEqualTo("FAILED");
    String body = scheduler.get("/runs/" + runId).body();
    assertThat(body).contains("cannot log in with").contains("****");
    assertThat(body).doesNotContain("ot\\\\ed-s3cr3t").doesNotContain("ed-s3cr3t");
  }

  @Test
  void a_cancelled_run_stops_its_task_on_the_worker() throws Exception {
    ServerFixture scheduler = server("s1", NodeRole.SCHEDULER, Set.of());
    WeirWorker w = worker("w1", Set.of());
    Path trace = dir.resolve("slow.log");

    String runId = scheduler.post("/flows/cluster/slow/runs", "{}").json().path("runId").asText();
    await("the task started on the worker", Duration.ofSeconds(20), () -> Files.exists(trace));
    scheduler.post("/runs/" + runId + "/cancel", "{}");

    assertThat(scheduler.awaitRun(runId).path("state").asText()).isEqualTo("CANCELLED");
    await("the worker stopped the task", Duration.ofSeconds(5), () -> w.running() == 0);
    // its script was ended, not left waiting (the gate is never opened: it would only go on)
    awaitSlowScriptGone("the task's script ended", 1);
    assertThat(Files.readString(trace)).isEqualTo("started\n");
  }

  @Test
  void a_run_taken_over_by_another_scheduler_finishes_there_with_its_own_routed_attempts()
      throws Exception {
    ServerFixture s1 = server("s1", NodeRole.SCHEDULER, Set.of());
    ServerFixture s2 = server("s2", NodeRole.SCHEDULER, Set.of());
    worker("w1", Set.of());
    Path trace = dir.resolve("slow.log");

    String runId = s1.post("/flows/cluster/slow/runs", "{}").json().path("runId").asText();
    await("the task started on w1", Duration.ofSeconds(20), () -> Files.exists(trace));
    var resumed = s2.post("/runs/" + runId + "/resume", "{\"force\": true}");
    assertThat(resumed.status()).as(resumed.body()).isEqualTo(202);
    openGate(); // the task was going on w1 when s2 took the run over; now it may end

    // s1 hears it lost the run and stops; what it leaves behind must not take s2's attempts along
    var run = s2.awaitRun(runId);
    assertThat(run.path("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertThat(s1.server.engine().executes(runId)).isFalse();
  }

  @Test
  void the_task_of_a_worker_that_leaves_runs_again_on_another() throws Exception {
    ServerFixture scheduler = server("s1", NodeRole.SCHEDULER, Set.of());
    WeirWorker first = worker("w1", Set.of());
    Path trace = dir.resolve("slow.log");

    String runId = scheduler.post("/flows/cluster/slow/runs", "{}").json().path("runId").asText();
    await("the task started on w1", Duration.ofSeconds(20), () -> Files.exists(trace));
    first.close();
    // w1's script is ended with it: it never notes "finished", however long the gate stays shut
    awaitSlowScriptGone("w1's script ended", 1);
    worker("w2", Set.of());
    openGate();

    var run = scheduler.awaitRun(runId);
    assertThat(run.path("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertThat(Files.readString(trace)).isEqualTo("started\nstarted\nfinished\n");
    assertThat(logs(scheduler, runId))
        .contains("runs on worker w1#1")
        .contains("runs on worker w2#1");
  }
}
