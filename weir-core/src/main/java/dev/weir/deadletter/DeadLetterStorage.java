package dev.weir.deadletter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.config.ConnectionConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Where dead letters can be kept: a local directory (in core), an S3 prefix or a database table (in
 * weir-tasks, which has the AWS SDK and the JDBC drivers), found by {@link java.util.ServiceLoader}
 * under {@code META-INF/services/dev.weir.deadletter.DeadLetterStorage}.
 */
public interface DeadLetterStorage {
  /** Whether this storage keeps letters for {@code spec} (e.g. a path starting with s3://). */
  boolean accepts(DeadLetterSpec spec);

  /** Whether {@code location} (as {@link Batch#location()} said it) is one of this storage's. */
  boolean reads(String location);

  /**
   * Starts the letters of one origin. They replace, when the batch commits, whatever the same
   * origin (same run, task and attempt) wrote before: a retried attempt never doubles them.
   */
  Batch open(DeadLetterSpec spec, Origin origin, Environment env) throws Exception;

  /** The first {@code limit} letters at {@code location}, in the order they were written. */
  List<ObjectNode> read(String location, int limit, Environment env) throws Exception;

  /** What a storage may need: the flow's directory, and connections by name. */
  record Environment(Path workDir, Function<String, ConnectionConfig> connections) {}

  /** The letters of one origin, being written. */
  interface Batch extends AutoCloseable {
    void add(ObjectNode letter) throws Exception;

    /** Where the letters are once committed, e.g. {@code /flows/dead/r1/load-1.jsonl}. */
    String location();

    /** Makes the letters the origin's letters (none added: removes what it wrote before). */
    void commit() throws Exception;

    /** Drops what was added and not committed. */
    @Override
    void close() throws Exception;
  }
}
