package dev.weir.deadletter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A dead-letter storage that is down: every access to it (a commit, a read) fails and is counted.
 * Opening and adding to a batch are local, as with S3 (a temporary file) and a table (a list).
 */
public final class Unreachable implements DeadLetterStorage {
  static final String PATH = "unreachable://dead/";
  static final AtomicInteger touched = new AtomicInteger();

  @Override
  public boolean accepts(DeadLetterSpec spec) {
    return spec.path() != null && spec.path().startsWith("unreachable://");
  }

  @Override
  public boolean reads(String location) {
    return location.startsWith("unreachable://");
  }

  @Override
  public Batch open(DeadLetterSpec spec, Origin origin, Environment env) {
    return new Batch() {
      @Override
      public void add(ObjectNode letter) {}

      @Override
      public String location() {
        return PATH + origin.fileName();
      }

      @Override
      public void commit() throws Exception {
        touched.incrementAndGet();
        throw new java.net.ConnectException("Connection refused: unreachable://");
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public List<ObjectNode> read(String location, int limit, Environment env) throws Exception {
    touched.incrementAndGet();
    throw new java.net.ConnectException("Connection refused: unreachable://");
  }
}
