package dev.weir.tasks.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.engine.EngineOptions;
import dev.weir.engine.RunHandle;
import dev.weir.engine.StagingArea;
import dev.weir.staging.StagingGc;
import dev.weir.staging.StagingPolicy;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.task.TaskFailedException;
import dev.weir.tasks.S3Fixture;
import dev.weir.tasks.S3TestServer;
import dev.weir.testing.EngineFixture;
import dev.weir.testing.ManualTimer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Shared staging on S3 (s3proxy): a succeeded attempt's dataset is copied to the bucket before its
 * success is stored, a node whose cache lacks it copies it from there, checked, and what cannot be
 * copied fails the attempt with the object, the run and the task named.
 */
class S3StagingTest extends S3Fixture {
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private Map<String, String> env(String endpoint) {
    return Map.of(
        "WEIR_STAGING_S3_ENDPOINT", endpoint,
        "WEIR_STAGING_S3_ACCESS_KEY", S3TestServer.ACCESS_KEY,
        "WEIR_STAGING_S3_SECRET_KEY", S3TestServer.SECRET_KEY);
  }

  private S3StagingStore staging(String location, String endpoint) {
    S3StagingStore s = S3StagingStore.open(location, env(endpoint));
    open.add(s);
    return s;
  }

  private StateStore stateStore() {
    StateStore s = JdbcStateStore.h2(dir.resolve("db"));
    open.add(s);
    return s;
  }

  /** A node: an engine of its own home and cache on the shared state store. */
  private EngineFixture node(String name, StateStore store, S3StagingStore s3, ManualTimer timer) {
    Path home = dir.resolve(name).resolve(".weir");
    EngineOptions options = EngineOptions.defaults(home);
    if (timer != null) {
      options = options.withTimer(timer);
    }
    options = options.withStaging(new StagingArea(home.resolve("staging-cache"), s3));
    var fx = new EngineFixture(dir.resolve(name), store, Map.of(), options);
    open.add(fx.engine);
    return fx;
  }

  private String flow(String gate) throws Exception {
    Path csv = write("orders.csv", "id,status,amount\n1,shipped,10\n2,open,20\n3,shipped,30\n");
    return """
    id: staged
    namespace: cluster
    tasks:
      - id: orders
        type: file.read
        path: %s
        schema: {id: BIGINT, status: VARCHAR, amount: BIGINT}
      - id: gate
        type: shell
        command: "%s"
      - id: shipped
        type: sql.transform
        sql: SELECT o.id, o.amount FROM orders o JOIN read_csv('%s') s USING (status) ORDER BY o.id
      - id: export
        type: file.write
        dataset: shipped
        path: %s
    """
        .formatted(csv, gate, dir.resolve("shipping.csv"), dir.resolve("out/shipped.csv"));
  }

  private List<String> keys(String prefix) {
    var keys = new ArrayList<String>();
    for (StorageMetadata m :
        server.blobStore().list(bucket, ListContainerOptions.Builder.prefix(prefix).recursive())) {
      keys.add(m.getName());
    }
    return keys;
  }

  private static List<String> messages(EngineFixture fx, String runId, String task) {
    return fx.logs(runId).stream()
        .filter(l -> l.taskId().equals(task))
        .map(LogLine::message)
        .toList();
  }

  @Test
  void a_dataset_goes_to_s3_before_its_success_and_a_retry_on_another_node_reads_it_from_there()
      throws Exception {
    S3StagingStore s3 = staging("s3://" + bucket + "/cluster-a", server.endpoint());
    StateStore store = stateStore();
    EngineFixture a = node("a", store, s3, null);

    // shipping.csv is not there yet: the transform fails on node a, after orders was staged
    RunRecord failed = a.run(flow("true"));
    assertThat(failed.state()).isEqualTo(RunState.FAILED);
    String runId = failed.id();
    List<String> staged = keys("cluster-a/" + runId + "/");
    assertThat(staged)
        .singleElement()
        .asString()
        .matches("cluster-a/" + runId + "/orders/attempt-1-[0-9a-f]{8}/data\\.parquet");
    assertThat(messages(a, runId, "orders"))
        .anySatisfy(m ->
            assertThat(m)
                .startsWith(
                    "dataset copied to the shared staging: s3://" + bucket + "/" + staged.get(0)));

    // node b has an empty cache: it keeps orders and reads its dataset from S3
    write("shipping.csv", "status\nshipped\n");
    EngineFixture b = node("b", store, s3, null);
    RunRecord retried = b.engine.retry(runId).await(Duration.ofSeconds(60));

    assertThat(retried.state()).as(String.valueOf(retried.error())).isEqualTo(RunState.SUCCEEDED);
    assertThat(b.attempts(runId, "orders")).hasSize(1);
    assertThat(messages(b, runId, "shipped"))
        .anySatisfy(m ->
            assertThat(m)
                .startsWith(
                    "dataset of 'orders' copied from the shared staging: s3://"
                        + bucket
                        + "/"
                        + staged.get(0)));
    assertThat(dir.resolve("b/.weir/staging-cache").resolve(staged.get(0).substring(10)))
        .isRegularFile()
        .hasSameBinaryContentAs(
            dir.resolve("a/.weir/staging-cache").resolve(staged.get(0).substring(10)));
    assertThat(b.latest(runId).get("shipped").rows()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("out/shipped.csv")))
        .isEqualTo("id,amount\n1,10\n3,30\n");
  }

  @Test
  void
      a_dataset_gone_from_s3_and_the_cache_fails_the_task_that_reads_it_naming_object_run_and_task()
          throws Exception {
    write("shipping.csv", "status\nshipped\n");
    S3StagingStore s3 = staging("s3://" + bucket + "/cluster-a", server.endpoint());
    EngineFixture a = node("a", stateStore(), s3, null);
    Path go = dir.resolve("go");
    String gate = "for i in $(seq 1 600); do [ -f " + go + " ] && exit 0; sleep 0.05; done; exit 1";

    RunHandle h = a.start(flow(gate), Map.of());
    a.awaitTasks(h.runId(), t -> t.get("gate").state() == TaskState.RUNNING);
    String key = keys("cluster-a/" + h.runId() + "/orders/").getFirst();
    server.blobStore().removeBlob(bucket, key);
    deleteTree(dir.resolve("a/.weir/staging-cache").resolve(h.runId()).resolve("orders"));
    Files.writeString(go, "");
    RunRecord run = h.await(Duration.ofSeconds(60));

    assertThat(run.state()).isEqualTo(RunState.FAILED);
    TaskRunRecord shipped = a.latest(run.id()).get("shipped");
    assertThat(shipped.state()).isEqualTo(TaskState.FAILED);
    assertThat(shipped.error())
        .startsWith(
            "the dataset of task 'orders' of run "
                + run.id()
                + " is not in the shared staging: s3://"
                + bucket
                + "/"
                + key
                + " does not exist (deleted by the staging retention, or by hand); retry the run"
                + " (`weir retry "
                + run.id()
                + "`) to run 'orders' again");
    assertThat(a.attempts(run.id(), "shipped")).as("not retried: it cannot help").hasSize(1);
  }

  @Test
  void an_unreachable_store_fails_the_attempt_retryably_and_the_retry_stages_it_once_it_is_back()
      throws Exception {
    int port;
    try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String endpoint = "http://127.0.0.1:" + port;
    S3StagingStore s3 = staging("s3://late/staging", endpoint);
    var timer = new ManualTimer(Instant.parse("2026-12-03T10:00:00Z"));
    EngineFixture a = node("a", stateStore(), s3, timer);
    Path csv = write("orders.csv", "id,amount\n1,10\n");

    RunHandle h =
        a.start(
            """
            id: unreachable
            tasks:
              - id: orders
                type: file.read
                path: %s
                retry: {attempts: 2, delay: 1m}
            """
                .formatted(csv),
            Map.of());
    a.awaitTasks(h.runId(), t -> t.get("orders").state() == TaskState.RETRY_WAIT);
    TaskRunRecord first = a.attempts(h.runId(), "orders").getFirst();
    assertThat(first.state()).isEqualTo(TaskState.FAILED);
    assertThat(first.error())
        .startsWith(
            "task 'orders' (attempt 1) staged its dataset, but it could not be copied to the"
                + " shared staging s3://late/staging, where the other nodes read it: upload of ")
        .contains(" to s3://late/staging/" + h.runId() + "/orders/attempt-1-")
        .contains("failed: could not reach S3: ")
        .doesNotContain(S3TestServer.SECRET_KEY)
        .doesNotContain("trying again will not help");

    try (S3TestServer back = S3TestServer.start(port)) {
      back.createBucket("late");
      timer.advance(Duration.ofMinutes(1));
      RunRecord run = h.await(Duration.ofSeconds(60));

      assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
      TaskRunRecord second = a.latest(run.id()).get("orders");
      assertThat(second.attempt()).isEqualTo(2);
      var objects = back.blobStore().list("late", ListContainerOptions.Builder.recursive());
      assertThat(objects)
          .extracting(StorageMetadata::getName)
          .filteredOn(n -> n.endsWith("data.parquet"))
          .singleElement()
          .asString()
          .startsWith("staging/" + run.id() + "/orders/attempt-2-");
    }
  }

  @Test
  void a_download_refuses_an_object_that_is_not_the_file_staged() throws Exception {
    S3StagingStore s3 = staging("s3://" + bucket, server.endpoint());
    Path file = write("staged/data.parquet", "the staged bytes");
    s3.put(file, "run1/orders/attempt-1-0000000a/data.parquet");
    var blobs = server.blobStore();
    var original = blobs.getBlob(bucket, "run1/orders/attempt-1-0000000a/data.parquet");
    blobs.putBlob(
        bucket,
        blobs
            .blobBuilder("run1/orders/attempt-1-0000000a/data.parquet")
            .payload("other bytes, same length!")
            .userMetadata(original.getMetadata().getUserMetadata())
            .build());

    Path target = dir.resolve("cache/data.parquet");
    assertThatThrownBy(() -> s3.get("run1/orders/attempt-1-0000000a/data.parquet", target))
        .isInstanceOf(TaskFailedException.class)
        .hasMessage(
            "s3://"
                + bucket
                + "/run1/orders/attempt-1-0000000a/data.parquet is not the file that was staged:"
                + " its SHA-256 differs from the one recorded at its upload (x-amz-meta-weir-sha256)");
    assertThat(target).doesNotExist();
    assertThat(target.getParent()).isEmptyDirectory();
    assertThatThrownBy(() -> s3.get("run1/nothing/data.parquet", target))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessage("s3://" + bucket + "/run1/nothing/data.parquet");
  }

  @Test
  void refused_credentials_are_named_without_the_key_and_not_retried() {
    String canary = "canary-" + java.util.UUID.randomUUID();
    var env =
        Map.of(
            "WEIR_STAGING_S3_ENDPOINT",
            server.endpoint(),
            "WEIR_STAGING_S3_ACCESS_KEY",
            S3TestServer.ACCESS_KEY,
            "WEIR_STAGING_S3_SECRET_KEY",
            canary);
    S3StagingStore s3 = S3StagingStore.open("s3://" + bucket + "/x", env);
    open.add(s3);

    assertThatThrownBy(s3::check)
        .isInstanceOf(TaskFailedException.class)
        .hasMessage(
            "listing of s3://"
                + bucket
                + "/x failed: S3 refused the credentials or their permissions"
                + " (SignatureDoesNotMatch); check the WEIR_STAGING_S3_* settings")
        .satisfies(e -> assertThat(((TaskFailedException) e).retryable()).isFalse());
    assertThat(s3.settings())
        .isEqualTo(
            "endpoint "
                + server.endpoint()
                + ", region us-east-1, path-style, credentials from WEIR_STAGING_S3_ACCESS_KEY and"
                + " WEIR_STAGING_S3_SECRET_KEY")
        .doesNotContain(canary);
  }

  @Test
  void the_staging_retention_deletes_a_superseded_runs_objects_with_its_cache() throws Exception {
    write("shipping.csv", "status\nshipped\n");
    S3StagingStore s3 = staging("s3://" + bucket + "/cluster-a", server.endpoint());
    StateStore store = stateStore();
    EngineFixture a = node("a", store, s3, null);
    String yaml = flow("true");
    RunRecord older = a.run(yaml);
    RunRecord newer = a.run(yaml);
    assertThat(List.of(older.state(), newer.state())).containsOnly(RunState.SUCCEEDED);
    Path cache = dir.resolve("a/.weir/staging-cache");
    assertThat(keys("cluster-a/" + older.id() + "/")).hasSize(2); // orders, shipped
    // a node that never ran the older run's tasks has nothing of it in its cache
    deleteTree(cache.resolve(older.id()));

    var gc =
        new StagingGc(
            store, new StagingArea(cache, s3), StagingPolicy.DEFAULT, InstantSource.system());
    StagingGc.Swept swept = gc.sweep(true);

    assertThat(swept.deleted())
        .singleElement()
        .satisfies(e -> {
          assertThat(e.runId()).isEqualTo(older.id());
          assertThat(e.verdict()).isEqualTo(StagingGc.Verdict.DELETE_SUPERSEDED);
          assertThat(e.bytes()).isPositive();
        });
    assertThat(keys("cluster-a/" + older.id() + "/")).isEmpty();
    assertThat(keys("cluster-a/" + newer.id() + "/")).hasSize(2);
    assertThat(cache.resolve(newer.id())).isDirectory();
  }

  private static void deleteTree(Path p) throws Exception {
    try (var walk = Files.walk(p)) {
      for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
