package dev.weir.tasks;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** One s3proxy per test class, a fresh bucket and work directory per test. */
public abstract class S3Fixture {
  protected static S3TestServer server;

  @TempDir protected Path dir;
  protected String bucket;
  protected TestContext ctx;

  @BeforeAll
  public static void startServer() throws Exception {
    server = S3TestServer.start();
  }

  @AfterAll
  public static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  public void freshBucket() {
    bucket = server.bucket();
    ctx = new TestContext(dir).connection(server.connection("lake"));
  }

  protected String uri(String key) {
    return "s3://" + bucket + "/" + key;
  }

  protected Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    return Files.writeString(p, text);
  }

  /** Puts objects straight into the blob store, bypassing the code under test. */
  protected void put(String key, String text) {
    var store = server.blobStore();
    store.putBlob(bucket, store.blobBuilder(key).payload(text).build());
  }

  protected boolean exists(String key) {
    return server.blobStore().blobExists(bucket, key);
  }
}
