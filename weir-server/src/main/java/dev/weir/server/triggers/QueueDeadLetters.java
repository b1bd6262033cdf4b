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
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
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

  /**
   * A message that starts no run, and why; {@code fireKey} is its fire key, or {@link
   * QueueMessages#unkeyedFireKey} when its key did not render: what identifies it on redelivery.
   */
  record Refused(IncomingMessage message, String fireKey, String reason) {}

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
        sink.reject(QueueMessages.record(r.message(), r.fireKey()), r.reason());
      }
      sink.handled(refused.size());
      return sink.finish();
    }
  }

  /**
   * Names the batch by its messages' fire keys, so that the same messages set aside again (their
   * fires could not be recorded) replace their letters instead of doubling them.
   */
  private static String part(List<Refused> refused) {
    var ids = new StringBuilder();
    for (Refused r : refused) {
      ids.append(r.fireKey()).append('\n');
    }
    return Hashes.sha256(ids.toString()).substring(0, 12);
  }
}
