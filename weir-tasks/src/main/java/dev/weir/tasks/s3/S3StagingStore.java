package dev.weir.tasks.s3;

import dev.weir.WeirException;
import dev.weir.engine.StagingStore;
import dev.weir.task.TaskFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The shared staging of a cluster in S3 or an S3-compatible store ({@code --staging
 * s3://bucket/prefix}): the objects are {@code <prefix>/<run>/<task>/attempt-<n>-<nonce>/…}. Each
 * object carries the SHA-256 of its bytes ({@code x-amz-meta-weir-sha256}), which a download
 * checks, so a node never reads a file that differs from the one that was staged.
 */
public final class S3StagingStore implements StagingStore, AutoCloseable {
  static final String SHA256 = "weir-sha256";
  private static final int DELETE_BATCH = 1000;

  private final S3Client client;
  private final S3Path base;
  private final S3StagingSettings settings;
  private final long partSize;

  S3StagingStore(S3Client client, S3Path base, S3StagingSettings settings, long partSize) {
    this.client = client;
    this.base = base;
    this.settings = settings;
    this.partSize = partSize;
  }

  /**
   * The store at {@code location} ({@code s3://bucket/prefix}), reached with the {@code
   * WEIR_STAGING_S3_*} settings of {@code env} (see docs/cluster.md).
   *
   * @throws WeirException naming what is wrong with the location or the settings
   */
  public static S3StagingStore open(String location, Map<String, String> env) {
    S3Path base = parse(location);
    S3StagingSettings settings = S3StagingSettings.from(env);
    try {
      return new S3StagingStore(
          S3Clients.create(settings.connection()), base, settings, S3Session.DEFAULT_PART_SIZE);
    } catch (TaskFailedException e) {
      throw new WeirException(
          "--staging "
              + location
              + ": cannot create an S3 client: no region found; set "
              + S3StagingSettings.REGION
              + " or AWS_REGION (e.g. eu-central-1)",
          e);
    }
  }

  private static S3Path parse(String location) {
    S3Path p;
    try {
      p = S3Path.parse(location);
    } catch (IllegalArgumentException e) {
      throw new WeirException("--staging: " + e.getMessage());
    }
    if (p.hasGlob()) {
      throw new WeirException(
          "--staging "
              + location
              + " is a pattern; give a bucket and a prefix, e.g. s3://lake/weir-staging");
    }
    String key = p.key();
    return new S3Path(p.bucket(), key.isEmpty() || key.endsWith("/") ? key : key + "/");
  }

  /** What logs may show of how the store is reached (no credential). */
  public String settings() {
    return settings.describe();
  }

  /**
   * Asks S3 for the bucket, so that a wrong bucket or refused credentials stop a node at its start.
   *
   * @throws TaskFailedException as any other call would, retryable when the store did not answer
   */
  public void check() {
    try {
      client.listObjectsV2(b -> b.bucket(base.bucket()).prefix(base.key()).maxKeys(1));
    } catch (SdkException e) {
      throw fail("listing of " + location(), e);
    }
  }

  @Override
  public String location() {
    String prefix = base.key();
    return "s3://"
        + base.bucket()
        + (prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1));
  }

  @Override
  public String url(String key) {
    return "s3://" + base.bucket() + "/" + base.key() + key;
  }

  @Override
  public void put(Path file, String key) {
    S3Path object = object(key);
    try {
      long size = Files.size(file);
      Map<String, String> metadata = Map.of(SHA256, sha256(file));
      if (size <= partSize) {
        client.putObject(
            b -> b.bucket(object.bucket()).key(object.key()).metadata(metadata),
            RequestBody.fromFile(file));
      } else {
        new MultipartUpload(client, object, partSize, S3StagingStore::checkInterrupted, metadata)
            .upload(file, size);
      }
    } catch (SdkException e) {
      throw fail("upload of " + file + " to " + url(key), e);
    } catch (IOException e) {
      throw new TaskFailedException(
          "cannot read " + file + " to upload it to " + url(key) + ": " + e, true, Map.of(), e);
    }
  }

  @Override
  public void get(String key, Path target) throws NoSuchFileException {
    S3Path object = object(key);
    Path temp = null;
    try {
      Path parent = Files.createDirectories(target.toAbsolutePath().getParent());
      temp = parent.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
      GetObjectResponse r =
          client.getObject(
              b -> b.bucket(object.bucket()).key(object.key()), ResponseTransformer.toFile(temp));
      verify(key, temp, r);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw new NoSuchFileException(url(key));
      }
      throw fail("download of " + url(key), e);
    } catch (SdkException e) {
      throw fail("download of " + url(key), e);
    } catch (NoSuchFileException e) {
      throw new TaskFailedException(
          "cannot write " + target + ": " + e, true, Map.of(), e); // not the object's absence
    } catch (IOException e) {
      throw new TaskFailedException(
          "cannot write " + url(key) + " to " + target + ": " + e, true, Map.of(), e);
    } finally {
      deleteQuietly(temp);
    }
  }

  private void verify(String key, Path file, GetObjectResponse r) throws IOException {
    long size = Files.size(file);
    if (r.contentLength() != null && r.contentLength() != size) {
      throw new TaskFailedException(
          url(key) + " arrived with " + size + " of its " + r.contentLength() + " bytes",
          true,
          Map.of(),
          null);
    }
    String expected = r.metadata().get(SHA256);
    if (expected != null && !expected.equals(sha256(file))) {
      throw new TaskFailedException(
          url(key)
              + " is not the file that was staged: its SHA-256 differs from the one recorded at"
              + " its upload (x-amz-meta-"
              + SHA256
              + ")",
          false,
          Map.of(),
          null);
    }
  }

  @Override
  public List<String> list(String prefix) {
    var keys = new ArrayList<String>();
    try {
      String from = base.key() + prefix;
      for (var o :
          client.listObjectsV2Paginator(b -> b.bucket(base.bucket()).prefix(from)).contents()) {
        keys.add(o.key().substring(base.key().length()));
      }
    } catch (SdkException e) {
      throw fail("listing of " + url(prefix), e);
    }
    return keys;
  }

  @Override
  public Set<String> runIds() {
    var runs = new TreeSet<String>();
    try {
      var pages =
          client.listObjectsV2Paginator(
              b -> b.bucket(base.bucket()).prefix(base.key()).delimiter("/"));
      for (var p : pages.commonPrefixes()) {
        String run = p.prefix().substring(base.key().length());
        runs.add(run.endsWith("/") ? run.substring(0, run.length() - 1) : run);
      }
    } catch (SdkException e) {
      throw fail("listing of " + location(), e);
    }
    return runs;
  }

  @Override
  public Usage usage(String runId) {
    long bytes = 0;
    Instant last = Instant.EPOCH;
    String prefix = base.key() + runId + "/";
    try {
      for (var o :
          client.listObjectsV2Paginator(b -> b.bucket(base.bucket()).prefix(prefix)).contents()) {
        bytes += o.size();
        last = o.lastModified().isAfter(last) ? o.lastModified() : last;
      }
    } catch (SdkException e) {
      throw fail("listing of " + url(runId + "/"), e);
    }
    return new Usage(bytes, last);
  }

  @Override
  public void deleteRun(String runId) {
    List<String> keys = list(runId + "/");
    for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
      var ids =
          keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH)).stream()
              .map(k -> ObjectIdentifier.builder().key(base.key() + k).build())
              .toList();
      try {
        var r =
            client.deleteObjects(
                b -> b.bucket(base.bucket()).delete(d -> d.objects(ids).quiet(true)));
        if (r.hasErrors() && !r.errors().isEmpty()) {
          var first = r.errors().getFirst();
          throw new TaskFailedException(
              "delete of "
                  + url(runId + "/")
                  + " failed for "
                  + r.errors().size()
                  + " object(s), first s3://"
                  + base.bucket()
                  + "/"
                  + first.key()
                  + ": "
                  + first.code()
                  + " "
                  + first.message(),
              true,
              Map.of(),
              null);
        }
      } catch (SdkException e) {
        throw fail("delete of " + url(runId + "/"), e);
      }
    }
  }

  private S3Path object(String key) {
    return new S3Path(base.bucket(), base.key() + key);
  }

  /**
   * A failure that names what failed, whether trying again may help, and never a credential; it is
   * no connection failure of a task (a task's circuit breaker does not count it).
   */
  private TaskFailedException fail(String what, SdkException e) {
    String head = what + " failed: ";
    if (e instanceof S3Exception s3) {
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      if ((code != null && S3Errors.CREDENTIAL_CODES.contains(code)) || s3.statusCode() == 403) {
        return new TaskFailedException(
            head
                + "S3 refused the credentials or their permissions ("
                + (code == null ? "HTTP 403" : code)
                + "); check "
                + settings.source(),
            false,
            Map.of(),
            e);
      }
    }
    TaskFailedException f = S3Errors.failure(head, e, this::scrub);
    return new TaskFailedException(f.getMessage(), f.retryable(), Map.of(), e);
  }

  private String scrub(String text) {
    String out = text;
    for (String secret : settings.secrets()) {
      out = out.replace(secret, "******");
    }
    return out;
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void checkInterrupted() {
    if (Thread.currentThread().isInterrupted()) {
      throw new TaskFailedException("the upload was interrupted", true, Map.of(), null);
    }
  }

  private static void deleteQuietly(Path temp) {
    if (temp != null) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException | UncheckedIOException e) {
        // a stray temporary file; the staging retention takes it with its run
      }
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
