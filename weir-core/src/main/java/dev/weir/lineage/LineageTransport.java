package dev.weir.lineage;

import java.io.IOException;

/**
 * Delivers one serialized OpenLineage event (UTF-8 JSON); throws when it could not (the emitter
 * retries).
 */
interface LineageTransport extends AutoCloseable {
  /** Delivers {@code len} bytes of {@code buf} from {@code off}: one event, valid until return. */
  void send(byte[] buf, int off, int len) throws IOException, InterruptedException;

  /** Makes what {@link #send} buffered durable; called when no more events wait. */
  default void flush() throws IOException {}

  @Override
  default void close() {}

  static LineageTransport of(LineageConfig config) {
    return config.file() != null
        ? new FileTransport(config.file())
        : new HttpTransport(config.url(), config.apiKey());
  }
}
