package dev.weir.server.triggers;

import dev.weir.config.ConnectionConfig;
import dev.weir.flow.trigger.FileTrigger;
import dev.weir.flow.trigger.OnProcessed;
import dev.weir.tasks.s3.S3Clients;
import dev.weir.tasks.s3.S3Path;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A glob on S3 ({@code s3://bucket/in/*.csv}), read with the client and glob rules of the s3 tasks
 * ({@link S3Clients}, {@link S3Path}); {@code /**}{@code /} also matches no folder, as on disk.
 */
final class S3Files implements FileSource {
  private final S3Client client;
  private final S3Path glob;
  private final Predicate<String> matches;
  private final S3Path moveTo;

  /**
   * @param connection the trigger's S3 connection, null for the default AWS chains
   */
  S3Files(FileTrigger trigger, ConnectionConfig connection) {
    this.glob = S3Path.parse(trigger.path());
    Predicate<String> m = glob.matcher();
    if (glob.key().contains("/**/")) {
      m = m.or(glob.withKey(glob.key().replace("/**/", "/")).matcher());
    }
    this.moveTo =
        trigger.onProcessed() == OnProcessed.MOVE ? folder(S3Path.parse(trigger.moveTo())) : null;
    Predicate<String> notMoved =
        k ->
            moveTo == null || !moveTo.bucket().equals(glob.bucket()) || !k.startsWith(moveTo.key());
    this.matches = m.and(k -> !k.endsWith("/")).and(notMoved);
    this.client = S3Clients.create(connection);
  }

  private static S3Path folder(S3Path p) {
    return p.key().isEmpty() || p.key().endsWith("/") ? p : p.withKey(p.key() + "/");
  }

  @Override
  public List<FoundFile> list() throws IOException {
    var out = new ArrayList<FoundFile>();
    try {
      for (var o :
          client
              .listObjectsV2Paginator(b -> b.bucket(glob.bucket()).prefix(glob.listPrefix()))
              .contents()) {
        if (matches.test(o.key())) {
          out.add(new FoundFile(glob.withKey(o.key()).toString(), o.size(), o.lastModified()));
        }
      }
    } catch (SdkException e) {
      throw new IOException("cannot list " + glob + ": " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public Optional<FoundFile> stat(String path) throws IOException {
    S3Path p = S3Path.parse(path);
    try {
      var head = client.headObject(b -> b.bucket(p.bucket()).key(p.key()));
      return Optional.of(new FoundFile(path, head.contentLength(), head.lastModified()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw new IOException("cannot look at " + path + ": " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new IOException("cannot look at " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String move(FoundFile file, String suffix) throws IOException {
    S3Path from = S3Path.parse(file.path());
    S3Path to = moveTo.withKey(moveTo.key() + file.name());
    if (stat(to.toString()).isPresent()) {
      to = moveTo.withKey(moveTo.key() + FileSource.suffixed(file.name(), suffix));
    }
    S3Path target = to;
    try {
      client.copyObject(b ->
          b.sourceBucket(from.bucket())
              .sourceKey(from.key())
              .destinationBucket(target.bucket())
              .destinationKey(target.key()));
    } catch (SdkException e) {
      throw new IOException("cannot copy " + from + " to " + target + ": " + e.getMessage(), e);
    }
    delete(file);
    return target.toString();
  }

  @Override
  public void delete(FoundFile file) throws IOException {
    S3Path p = S3Path.parse(file.path());
    try {
      client.deleteObject(b -> b.bucket(p.bucket()).key(p.key()));
    } catch (SdkException e) {
      throw new IOException("cannot delete " + p + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
