package dev.weir.server.triggers;

import dev.weir.WeirException;
import dev.weir.config.ProjectConfig;
import dev.weir.deadletter.DeadLetterSink;
import dev.weir.deadletter.DeadLetterSpec;
import dev.weir.deadletter.DeadLetterStorage;
import dev.weir.deadletter.Origin;
import dev.weir.engine.Engine;
import dev.weir.flow.trigger.QueueTrigger;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.store.DeadLetterStore;
import dev.weir.tasks.queue.IncomingMessage;
import dev.weir.util.Hashes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the messages go whose run cannot start: into the trigger's {@code deadLetter:} (one batch
 * of letters per polled batch, under the flow and {@code trigger:<id>}, no run), or, without one, a
 * warning in the log. Either way the caller acknowledges them only after this returns: a letter
 * that cannot be stored throws, and the message comes back.
 */
final class QueueDeadLetters {
  private static final Logger log = LoggerFactory.getLogger(QueueDeadLetters.class);

  private final Engine engine;
  private final DeadLetterStore index;
  private final InstantSource clock;

  QueueDeadLetters(Engine engine, DeadLetterStore index, InstantSource clock) {
    this.engine = engine;
    this.index = index;
    this.clock = clock;
  }

  /** A message that starts no run, and why; {@code dedupeKey} null when it did not render. */
  record Refused(IncomingMessage message, String dedupeKey, String reason) {}

  /**
   * @throws WeirException when the letters cannot be stored; nothing of them is acknowledged then
   */
  void keep(DeployedFlow flow, QueueTrigger t, List<Refused> refused) {
    if (refused.isEmpty()) {
      return;
    }
    if (t.deadLetter() == null) {
      for (Refused r : refused) {
        log.warn(
            "{} trigger {} of {}: message {} starts no run and is acknowledged: {}",
            t.type(),
            t.id(),
            flow.key(),
            r.message().id() == null ? "(no id)" : r.message().id(),
            engine.masker().mask(r.reason()));
      }
      return;
    }
    String where = t.deadLetter().path() != null ? t.deadLetter().path() : t.deadLetter().table();
    try {
      Map<String, Object> outputs = store(flow, t, refused);
      log.warn(
          "{} trigger {} of {}: {} message(s) start no run; kept as dead letters in {}, then"
              + " acknowledged (first: {})",
          t.type(),
          t.id(),
          flow.key(),
          refused.size(),
          outputs.get("deadLetters"),
          engine.masker().mask(refused.get(0).reason()));
    } catch (Exception e) {
      // a file system error's message is often the bare path: name the error too
      String why =
          e instanceof java.io.IOException
              ? e.getClass().getSimpleName() + ": " + e.getMessage()
              : String.valueOf(e.getMessage());
      throw new WeirException(
          "cannot keep "
              + refused.size()
              + " message(s) that start no run as dead letters ("
              + where
              + "): "
              + engine.masker().mask(why)
              + "; they are not acknowledged and come back",
          e);
    }
  }

  private Map<String, Object> store(DeployedFlow flow, QueueTrigger t, List<Refused> refused)
      throws Exception {
    DeadLetterSpec written =
        t.deadLetter()
            .map(s -> engine.renderForTrigger(flow.flow(), s, t.type(), Map.of("id", t.id())));
    // every message that cannot start a run is kept: no threshold to judge
    var spec = new DeadLetterSpec(written.path(), written.table(), written.connection(), "100%");
    Path dir = flow.file().getParent();
    var env =
        new DeadLetterStorage.Environment(
            dir,
            name ->
                ProjectConfig.find(dir)
                    .connection(
                        name, s -> engine.renderForTrigger(flow.flow(), s, t.type(), null)));
    var origin = Origin.ofTrigger(flow.flow().namespace(), flow.flow().id(), t.id(), part(refused));
    try (var sink =
        DeadLetterSink.open(
            spec, origin, "queue." + t.type(), env, engine.masker()::mask, index, clock)) {
      for (Refused r : refused) {
        sink.reject(record(r.message()), r.reason());
      }
      sink.handled(refused.size());
      return sink.finish();
    }
  }

  /**
   * Names the batch by its messages, so that the same messages set aside again (their
   * acknowledgement was lost) replace their letters instead of doubling them. A message without any
   * id gets a random one: two such messages must never replace each other's letters.
   */
  private static String part(List<Refused> refused) {
    var ids = new StringBuilder();
    for (Refused r : refused) {
      String id =
          r.dedupeKey() != null
              ? r.dedupeKey()
              : r.message().id() != null ? r.message().id() : UUID.randomUUID().toString();
      ids.append(id).append('\n');
    }
    return Hashes.sha256(ids.toString()).substring(0, 12);
  }

  /** The message as received: what a replay needs to start its run. */
  static Map<String, Object> record(IncomingMessage m) {
    var r = new LinkedHashMap<String, Object>();
    r.put("messageId", m.id());
    r.put("messageKey", m.key());
    r.put("body", new String(m.body(), StandardCharsets.UTF_8));
    r.put("headers", m.headers());
    r.put("source", m.source());
    r.put("publishedAt", m.publishedAt() == null ? null : m.publishedAt().toString());
    return r;
  }
}
