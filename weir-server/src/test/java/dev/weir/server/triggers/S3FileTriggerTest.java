package dev.weir.server.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.server.ServerFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file trigger on S3: s3proxy over an in-memory blob store, in this JVM. */
class S3FileTriggerTest {
  static final String ACCESS = "weir-test-access";
  static final String SECRET = "weir-test-secret-" + UUID.randomUUID();

  @TempDir Path dir;
  ServerFixture fx;
  BlobStoreContext blobs;
  S3Proxy proxy;
  String bucket = "drops";

  @BeforeEach
  void s3() throws Exception {
    blobs =
        ContextBuilder.newBuilder("transient")
            .credentials(ACCESS, SECRET)
            .build(BlobStoreContext.class);
    proxy =
        S3Proxy.builder()
            .blobStore(blobs.getBlobStore())
            .endpoint(java.net.URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
            .ignoreUnknownHeaders(true)
            .build();
    proxy.start();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "STARTED".equals(proxy.getState()));
    store().createContainerInLocation(null, bucket);
    fx = new ServerFixture(dir);
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
    proxy.stop();
    blobs.close();
  }

  BlobStore store() {
    return blobs.getBlobStore();
  }

  void put(String key, String text) {
    store().putBlob(bucket, store().blobBuilder(key).payload(text).build());
  }

  @Test
  void a_new_object_fires_once_and_is_moved_after_success() throws Exception {
    Files.writeString(
        fx.flowsDir.resolve("weir.yaml"),
        """
        connections:
          lake:
            type: s3
            endpoint: http://127.0.0.1:%d
            region: us-east-1
            pathStyle: true
            accessKey: %s
            secretKey: "{{ secret('LAKE_SECRET') }}"
        """
            .formatted(proxy.getPort(), ACCESS));
    fx.writeFlow(
        "lake/orders.yaml",
        """
        id: orders
        namespace: lake
        tasks:
          - id: read
            type: test.ok
            values: {path: "{{ trigger.path }}", size: "{{ trigger.size }}"}
        triggers:
          - id: drop
            type: file
            path: s3://drops/in/*.csv
            connection: lake
            interval: 1h
            onProcessed: move
            moveTo: s3://drops/done/
        """);
    TriggerServer.start(fx, java.util.Map.of("WEIR_SECRET_LAKE_SECRET", SECRET));
    var files = fx.server.triggers().files();
    files.pollAll();
    put("in/a.csv", "id\n1\n");
    put("in/notes.txt", "not a csv");

    assertThat(files.pollAll()).as("first seen now: not settled yet").isZero();
    assertThat(files.pollAll()).isEqualTo(1);
    assertThat(files.pollAll()).isZero();

    var run = TriggerServer.awaitRuns(fx, "lake/orders", 1).get(0);
    assertThat(run.path("state").asText()).isEqualTo("SUCCEEDED");
    var out = TriggerServer.outputs(run, "read");
    assertThat(out.path("path").asText()).isEqualTo("s3://drops/in/a.csv");
    assertThat(out.path("size").asText()).isEqualTo("5");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() ->
            store().blobExists(bucket, "done/a.csv") && !store().blobExists(bucket, "in/a.csv"));
    assertThat(store().blobExists(bucket, "in/notes.txt")).isTrue();
    assertThat(files.pollAll()).isZero();
    assertThat(TriggerServer.runs(fx, "lake/orders")).hasSize(1);
  }
}
