package dev.weir.tasks.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One multipart upload of a file: create, upload the parts one after the other, complete; abort on
 * any failure so that no half upload keeps costing storage.
 */
final class MultipartUpload {
  // S3 allows at most this many parts; larger files get larger parts
  private static final int MAX_PARTS = 10_000;

  private final S3Client client;
  private final S3Path object;
  private final long partSize;
  private final Runnable checkpoint;
  private final Map<String, String> metadata;

  /**
   * @param checkpoint run between parts; throws to stop the upload (e.g. when cancelled)
   */
  MultipartUpload(S3Client client, S3Path object, long partSize, Runnable checkpoint) {
    this(client, object, partSize, checkpoint, Map.of());
  }

  /**
   * @param metadata the object's user metadata ({@code x-amz-meta-*})
   */
  MultipartUpload(
      S3Client client,
      S3Path object,
      long partSize,
      Runnable checkpoint,
      Map<String, String> metadata) {
    this.client = client;
    this.object = object;
    this.partSize = partSize;
    this.checkpoint = checkpoint;
    this.metadata = Map.copyOf(metadata);
  }

  /** Returns the number of parts. */
  int upload(Path file, long size) throws IOException {
    int part = (int) Math.max(partSize, (size + MAX_PARTS - 1) / MAX_PARTS);
    String id =
        client
            .createMultipartUpload(
                b -> b.bucket(object.bucket()).key(object.key()).metadata(metadata))
            .uploadId();
    try (FileChannel in = FileChannel.open(file)) {
      var parts = new ArrayList<CompletedPart>();
      byte[] buffer = new byte[part];
      for (int n = 1; ; n++) {
        int length = fill(in, buffer);
        if (length == 0) {
          break;
        }
        parts.add(uploadPart(id, n, buffer, length));
        checkpoint.run();
      }
      complete(id, parts);
      return parts.size();
    } catch (IOException | RuntimeException e) {
      abort(id, e);
      throw e;
    }
  }

  private CompletedPart uploadPart(String id, int n, byte[] buffer, int length) {
    // a stream per try, so the SDK can retry a part without a copy of the buffer
    RequestBody body =
        RequestBody.fromContentProvider(
            () -> new ByteArrayInputStream(buffer, 0, length), length, "application/octet-stream");
    String etag =
        client
            .uploadPart(
                b ->
                    b.bucket(object.bucket())
                        .key(object.key())
                        .uploadId(id)
                        .partNumber(n)
                        .contentLength((long) length),
                body)
            .eTag();
    return CompletedPart.builder().partNumber(n).eTag(etag).build();
  }

  private void complete(String id, List<CompletedPart> parts) {
    client.completeMultipartUpload(b ->
        b.bucket(object.bucket())
            .key(object.key())
            .uploadId(id)
            .multipartUpload(m -> m.parts(parts)));
  }

  private void abort(String id, Exception cause) {
    try {
      client.abortMultipartUpload(b -> b.bucket(object.bucket()).key(object.key()).uploadId(id));
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  private static int fill(FileChannel in, byte[] buffer) throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(buffer);
    while (bb.hasRemaining() && in.read(bb) >= 0) {
      // keep reading: a channel may return fewer bytes than asked for
    }
    return bb.position();
  }
}
