package dev.weir.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.WeirException;
import dev.weir.server.ServerFixture;
import dev.weir.server.ServerOptions;
import dev.weir.server.WeirWorker;
import dev.weir.store.StoreAddress;
import dev.weir.testing.TestDatabases;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster whose nodes share no directory: staging on S3 (s3proxy in this JVM). A scheduler hands
 * the tasks of one flow to two workers of different pools, each with its own home; each reads the
 * upstream dataset the other staged from the bucket.
 */
class S3StagingClusterTest {
  private static final String ACCESS = "weir-test-access";
  private static final String SECRET = "weir-test-secret-" + UUID.randomUUID();
  private static final String BUCKET = "staging";

  @TempDir Path dir;
  private String url;
  private BlobStoreContext blobs;
  private S3Proxy proxy;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    url = TestDatabases.freshPostgresSchemaUrl();
    blobs =
        ContextBuilder.newBuilder("transient")
            .credentials(ACCESS, SECRET)
            .build(BlobStoreContext.class);
    proxy =
        S3Proxy.builder()
            .blobStore(blobs.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
            .ignoreUnknownHeaders(true)
            .build();
    proxy.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!"STARTED".equals(proxy.getState())) {
      assertThat(System.nanoTime()).as("s3proxy started").isLessThan(deadline);
      Thread.sleep(10);
    }
    blobs.getBlobStore().createContainerInLocation(null, BUCKET);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    proxy.stop();
    blobs.close();
  }

  private Map<String, String> env(String secretKey) {
    return Map.of(
        "WEIR_STAGING_S3_ENDPOINT", "http://127.0.0.1:" + proxy.getPort(),
        "WEIR_STAGING_S3_ACCESS_KEY", ACCESS,
        "WEIR_STAGING_S3_SECRET_KEY", secretKey);
  }

  private ServerOptions options(ServerFixture fx, String id, Set<String> pools, NodeRole role) {
    var settings =
        new ClusterSettings(
                id,
                // no failover here: a lease long enough for a busy machine
                Duration.ofSeconds(15),
                Duration.ofSeconds(1),
                StagingLocation.parse("s3://" + BUCKET + "/cluster", p -> p))
            .withWork(role, pools, 4);
    return fx.options()
        .withStore(StoreAddress.of(url))
        .withPools(Map.of("a", 2, "b", 2))
        .withEnvironment(env(SECRET), null)
        .withCluster(settings);
  }

  private ServerFixture scheduler() throws Exception {
    var fx = new ServerFixture(dir.resolve("s1"));
    open.add(fx::close);
    fx.writeFlow("staged.yaml", flow());
    fx.start(options(fx, "s1", Set.of(), NodeRole.SCHEDULER));
    return fx;
  }

  private void worker(String id, String pool) throws Exception {
    var fx = new ServerFixture(dir.resolve(id));
    open.add(WeirWorker.start(options(fx, id, Set.of(pool), NodeRole.WORKER)));
  }

  private String flow() throws Exception {
    Path csv = dir.resolve("orders.csv");
    Files.writeString(csv, "id,status,amount\n1,shipped,10\n2,open,20\n3,shipped,30\n");
    return """
    id: staged
    namespace: cluster
    tasks:
      - id: orders
        type: file.read
        pool: a
        path: %s
        schema: {id: BIGINT, status: VARCHAR, amount: BIGINT}
      - id: shipped
        type: sql.transform
        pool: b
        sql: SELECT id, amount FROM orders WHERE status = 'shipped' ORDER BY id
      - id: export
        type: file.write
        pool: a
        dataset: shipped
        path: %s
    """
        .formatted(csv, dir.resolve("out/shipped.csv"));
  }

  private List<String> keys(String prefix) {
    var keys = new ArrayList<String>();
    for (StorageMetadata m :
        blobs
            .getBlobStore()
            .list(BUCKET, ListContainerOptions.Builder.prefix(prefix).recursive())) {
      keys.add(m.getName());
    }
    return keys;
  }

  private static String logs(ServerFixture fx, String runId, String task) {
    return fx.get("/runs/" + runId + "/logs?task=" + task).body();
  }

  @Test
  void tasks_on_workers_without_a_shared_directory_read_each_others_datasets_from_s3()
      throws Exception {
    ServerFixture scheduler = scheduler();
    worker("w1", "a");
    worker("w2", "b");

    var started = scheduler.post("/flows/cluster/staged/runs", "{}");
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    String runId = started.json().path("runId").asText();
    try {
      scheduler.awaitRun(runId);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "run did not end: "
              + scheduler.get("/runs/" + runId).body()
              + "\n"
              + scheduler.get("/runs/" + runId + "/logs").body(),
          e);
    }
    var run = scheduler.awaitRun(runId);

    assertThat(run.path("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertThat(Files.readString(dir.resolve("out/shipped.csv")))
        .isEqualTo("id,amount\n1,10\n3,30\n");
    assertThat(keys("cluster/" + runId + "/"))
        .hasSize(2)
        .anySatisfy(k -> assertThat(k).startsWith("cluster/" + runId + "/orders/attempt-1-"))
        .anySatisfy(k -> assertThat(k).startsWith("cluster/" + runId + "/shipped/attempt-1-"));
    String shipped = logs(scheduler, runId, "shipped");
    assertThat(shipped)
        .contains("runs on worker w2#1")
        .contains(
            "dataset of 'orders' copied from the shared staging: s3://staging/cluster/" + runId)
        .contains(
            "dataset copied to the shared staging: s3://staging/cluster/" + runId + "/shipped/");
    assertThat(logs(scheduler, runId, "export"))
        .contains("runs on worker w1#1")
        .contains("dataset of 'shipped' copied from the shared staging: s3://staging/cluster/");
    assertThat(scheduler.get("/runs/" + runId + "/logs").body()).doesNotContain(SECRET);
    assertThat(dir.resolve("w1/home/staging-cache").resolve(runId)).isDirectory();
    assertThat(dir.resolve("w2/home/staging-cache").resolve(runId)).isDirectory();

    // a newer run supersedes it: its end deletes the older run's objects, which no local
    // directory of the scheduler holds
    String next = scheduler.post("/flows/cluster/staged/runs", "{}").json().path("runId").asText();
    assertThat(scheduler.awaitRun(next).path("state").asText()).isEqualTo("SUCCEEDED");
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!keys("cluster/" + runId + "/").isEmpty()) {
      assertThat(System.nanoTime()).as("the older run's objects deleted").isLessThan(deadline);
      Thread.sleep(50);
    }
    assertThat(keys("cluster/" + next + "/")).hasSize(2);
  }

  @Test
  void a_node_whose_staging_credentials_are_refused_does_not_start() throws Exception {
    var fx = new ServerFixture(dir.resolve("w9"));
    String canary = "canary-" + UUID.randomUUID();
    ServerOptions options =
        options(fx, "w9", Set.of(), NodeRole.WORKER).withEnvironment(env(canary), null);

    assertThatThrownBy(() -> open.add(WeirWorker.start(options)))
        .isInstanceOf(WeirException.class)
        .hasMessage(
            "--staging s3://staging/cluster: listing of s3://staging/cluster failed: S3 refused the"
                + " credentials or their permissions (SignatureDoesNotMatch); check the"
                + " WEIR_STAGING_S3_* settings")
        .hasMessageNotContaining(canary);
  }
}
