package dev.weir.tasks.deadletter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.config.ConnectionConfig;
import dev.weir.deadletter.DeadLetterSpec;
import dev.weir.deadletter.DeadLetterStorage;
import dev.weir.deadletter.Origin;
import dev.weir.tasks.s3.S3Clients;
import dev.weir.tasks.s3.S3Path;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Dead letters under an S3 prefix: one JSON-lines object per attempt, {@code
 * <prefix><run>/<task>-<attempt>.jsonl}, written to a local file first and put on commit (a put
 * replaces the object: a retried attempt rewrites its own). The location names the connection after
 * '#', so that {@code weir deadletters} can read it back.
 */
public final class S3Storage implements DeadLetterStorage {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public boolean accepts(DeadLetterSpec spec) {
    return spec.isS3();
  }

  @Override
  public boolean reads(String location) {
    return location.startsWith(S3Path.SCHEME);
  }

  @Override
  public Batch open(DeadLetterSpec spec, Origin origin, Environment env) throws Exception {
    String prefix = spec.path().endsWith("/") ? spec.path() : spec.path() + "/";
    S3Path where = S3Path.parse(prefix + origin.fileName());
    String connection = spec.connection();
    Path local = Files.createTempFile("weir-dead-letters-", ".jsonl");
    BufferedWriter out = Files.newBufferedWriter(local, StandardCharsets.UTF_8);
    String location =
        S3Path.SCHEME
            + where.bucket()
            + "/"
            + where.key()
            + (connection == null ? "" : "#" + connection);
    return new Batch() {
      long count;

      @Override
      public void add(ObjectNode letter) throws Exception {
        out.write(JSON.writeValueAsString(letter));
        out.write('\n');
        count++;
      }

      @Override
      public String location() {
        return location;
      }

      @Override
      public void commit() throws Exception {
        out.close();
        try (S3Client s3 = client(connection, env)) {
          if (count == 0) {
            s3.deleteObject(b -> b.bucket(where.bucket()).key(where.key()));
          } else {
            s3.putObject(
                b -> b.bucket(where.bucket()).key(where.key()).contentType("application/x-ndjson"),
                RequestBody.fromFile(local));
          }
        } finally {
          Files.deleteIfExists(local);
        }
      }

      @Override
      public void close() throws Exception {
        out.close();
        Files.deleteIfExists(local);
      }
    };
  }

  @Override
  public List<ObjectNode> read(String location, int limit, Environment env) throws Exception {
    int hash = location.indexOf('#');
    String connection = hash < 0 ? null : location.substring(hash + 1);
    S3Path where = S3Path.parse(hash < 0 ? location : location.substring(0, hash));
    var out = new ArrayList<ObjectNode>();
    try (S3Client s3 = client(connection, env);
        var body = s3.getObject(b -> b.bucket(where.bucket()).key(where.key()));
        var in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String line;
      while (out.size() < limit && (line = in.readLine()) != null) {
        if (!line.isBlank()) {
          out.add((ObjectNode) JSON.readTree(line));
        }
      }
    }
    return out;
  }

  private static S3Client client(String connection, Environment env) {
    ConnectionConfig c = connection == null ? null : env.connections().apply(connection);
    return S3Clients.create(c);
  }
}
