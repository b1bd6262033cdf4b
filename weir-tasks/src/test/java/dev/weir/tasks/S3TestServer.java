package dev.weir.tasks;

import dev.weir.config.ConnectionConfig;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3 server in the test JVM: s3proxy over jclouds' in-memory blob store, on a free port of
 * 127.0.0.1, checking AWS v4 signatures against one key pair.
 */
public final class S3TestServer implements AutoCloseable {
  public static final String ACCESS_KEY = "weir-test-access";
  public static final String SECRET_KEY = "weir-test-secret-" + UUID.randomUUID();

  private final BlobStoreContext blobs;
  private final S3Proxy proxy;

  private S3TestServer(BlobStoreContext blobs, S3Proxy proxy) {
    this.blobs = blobs;
    this.proxy = proxy;
  }

  public static S3TestServer start() throws Exception {
    return start(0);
  }

  /** A server on {@code port} of 127.0.0.1 (0 for a free one). */
  public static S3TestServer start(int port) throws Exception {
    BlobStoreContext blobs =
        ContextBuilder.newBuilder("transient")
            .credentials(ACCESS_KEY, SECRET_KEY)
            .build(BlobStoreContext.class);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(blobs.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            // DeleteObjects carries x-amz-checksum-crc32 beside Content-MD5; S3 and MinIO check
            // it, s3proxy does not know it and would refuse the request
            .ignoreUnknownHeaders(true)
            .build();
    proxy.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
      }
      Thread.sleep(10);
    }
    return new S3TestServer(blobs, proxy);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  public BlobStore blobStore() {
    return blobs.getBlobStore();
  }

  /** A new empty bucket with a unique name. */
  public String bucket() {
    String name = "test-" + UUID.randomUUID().toString().substring(0, 8);
    createBucket(name);
    return name;
  }

  public void createBucket(String name) {
    blobStore().createContainerInLocation(null, name);
  }

  /** A connection of type s3 to this server, as weir.yaml would give it. */
  public ConnectionConfig connection(String name) {
    return connection(name, SECRET_KEY);
  }

  public ConnectionConfig connection(String name, String secretKey) {
    return new ConnectionConfig(
        name,
        ConnectionConfig.S3,
        null,
        null,
        null,
        Map.of(),
        0,
        Map.of(
            "endpoint",
            endpoint(),
            "region",
            "us-east-1",
            "pathStyle",
            "true",
            "accessKey",
            ACCESS_KEY,
            "secretKey",
            secretKey));
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    blobs.close();
  }
}
