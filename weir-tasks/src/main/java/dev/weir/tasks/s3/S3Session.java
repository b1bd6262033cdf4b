package dev.weir.tasks.s3;

import dev.weir.config.ConnectionConfig;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * One task attempt's use of S3: a client for the task's connection that is closed when the attempt
 * is cancelled, and operations whose failures name the task, the address and the connection.
 */
public final class S3Session implements AutoCloseable {
  /** Files larger than this go up in parts of this size. */
  public static final long DEFAULT_PART_SIZE = 16L << 20;

  /** S3 refuses smaller parts, except the last one. */
  public static final long MIN_PART_SIZE = 5L << 20;

  private static final int DELETE_BATCH = 1000;

  private final S3Client client;
  private final String task;
  private final String connection;
  private final ConnectionConfig config;
  private final TaskContext context;
  private final long partSize;

  private S3Session(
      S3Client client, String task, ConnectionConfig config, TaskContext context, long partSize) {
    this.client = client;
    this.task = task;
    this.config = config;
    this.connection = S3Clients.describe(config);
    this.context = context;
    this.partSize = partSize;
  }

  /**
   * @param connectionName a connection of type s3 in weir.yaml, or null for the default AWS chains
   */
  public static S3Session open(TaskContext context, String task, String connectionName) {
    return open(context, task, connectionName, DEFAULT_PART_SIZE);
  }

  public static S3Session open(
      TaskContext context, String task, String connectionName, long partSize) {
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException(
          "part size " + partSize + " is below S3's minimum of " + MIN_PART_SIZE);
    }
    ConnectionConfig config = connectionName == null ? null : context.connection(connectionName);
    S3Client client = S3Clients.create(config);
    context.onCancel(client::close);
    return new S3Session(client, task, config, context, partSize);
  }

  /** Every object whose key starts with {@code prefix} and passes {@code filter}, in key order. */
  public List<S3Entry> list(String bucket, String prefix, Predicate<String> filter) {
    var found = new ArrayList<S3Entry>();
    try {
      for (var o : client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
        if (filter.test(o.key())) {
          found.add(new S3Entry(bucket, o.key(), o.size(), o.lastModified()));
        }
        checkCancelled();
      }
    } catch (SdkException e) {
      throw fail("listing of " + new S3Path(bucket, prefix), e);
    }
    return found;
  }

  /**
   * The objects a prefix or glob names, without the empty "folder" objects some tools create; an
   * object address names itself if it exists.
   */
  public List<S3Entry> select(S3Path path) {
    if (path.isObject()) {
      return list(path.bucket(), path.key(), path.key()::equals);
    }
    return list(path.bucket(), path.listPrefix(), path.matcher().and(k -> !k.endsWith("/")));
  }

  /** Downloads one object to {@code target}, which shows the old file or the whole new one. */
  public long download(S3Path object, Path target) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temp = parent.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      client.getObject(
          b -> b.bucket(object.bucket()).key(object.key()), ResponseTransformer.toFile(temp));
      long size = Files.size(temp);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return size;
    } catch (SdkException e) {
      throw fail("download of " + object, e);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Uploads {@code file} to {@code object}: in one request up to the part size, in parts above it.
   *
   * @return the number of parts, 1 for a single request
   */
  public int upload(Path file, S3Path object) throws IOException {
    long size = Files.size(file);
    try {
      if (size <= partSize) {
        client.putObject(
            b -> b.bucket(object.bucket()).key(object.key()), RequestBody.fromFile(file));
        return 1;
      }
      return new MultipartUpload(client, object, partSize, this::checkCancelled).upload(file, size);
    } catch (SdkException e) {
      throw fail("upload of " + file + " to " + object, e);
    }
  }

  /** Deletes the objects; keys that are not there count as deleted, as S3 has it. */
  public void delete(String bucket, List<String> keys) {
    for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
      List<String> batch = keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH));
      String what = "delete of " + batch.size() + " object(s) in s3://" + bucket + "/";
      DeleteObjectsResponse r;
      try {
        if (batch.size() == 1) {
          client.deleteObject(b -> b.bucket(bucket).key(batch.getFirst()));
          continue;
        }
        var ids = batch.stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList();
        r =
            client.deleteObjects(
                b -> b.bucket(bucket).delete(Delete.builder().objects(ids).quiet(true).build()));
      } catch (SdkException e) {
        throw fail(what, e);
      }
      if (r.hasErrors() && !r.errors().isEmpty()) {
        S3Error first = r.errors().getFirst();
        throw new TaskFailedException(
            scrub(
                task
                    + ": "
                    + what
                    + " with "
                    + connection
                    + " failed for "
                    + r.errors().size()
                    + " key(s), first s3://"
                    + bucket
                    + "/"
                    + first.key()
                    + ": "
                    + first.code()
                    + " "
                    + first.message()),
            !"AccessDenied".equals(first.code()),
            Map.of(),
            null);
      }
      checkCancelled();
    }
  }

  private void checkCancelled() {
    if (context.isCancelled()) {
      throw new TaskFailedException(task + " was cancelled", true, Map.of(), null);
    }
  }

  TaskFailedException fail(String what, SdkException e) {
    return S3Errors.failure(task, what, connection, e, this::scrub);
  }

  /** Masks the run's secrets and, whatever their source, the connection's keys. */
  private String scrub(String text) {
    String masked = context.mask(text);
    if (config != null) {
      for (String key : ConnectionConfig.SECRET_SETTINGS) {
        String value = config.setting(key, null);
        if (value != null && !value.isEmpty()) {
          masked = masked.replace(value, "******");
        }
      }
    }
    return masked;
  }

  @Override
  public void close() {
    client.close();
  }
}
