package dev.weir.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.WeirException;
import dev.weir.engine.Engine;
import dev.weir.engine.RunHandle;
import dev.weir.engine.RunListener;
import dev.weir.flow.Flow;
import dev.weir.flow.trigger.QueueTrigger;
import dev.weir.flow.trigger.TriggerDef;
import dev.weir.server.store.QueueFires;
import dev.weir.server.store.ServerStore;
import dev.weir.server.triggers.QueueMessages;
import dev.weir.store.DeadLetterRecord;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.tasks.queue.IncomingMessage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replays a queue trigger's dead letters (messages whose run could not start): one run per stored
 * message, or per {@code maxBatch} of them, started from the flow file as it is now, with {@code
 * trigger.*} and the dedupe key as the server's consumer makes them ({@link QueueMessages}). A
 * message whose key started a run before (an earlier replay, a redelivery) is skipped, and each run
 * started is recorded as the message's fire. Runs in this process, as {@code weir run} does.
 */
final class QueueReplay {
  static final String PREFIX = "trigger:";

  private QueueReplay() {}

  static boolean isQueueBatch(DeadLetterRecord b) {
    return b.runId() == null && b.taskId().startsWith(PREFIX) && b.taskType().startsWith("queue.");
  }

  static int replay(
      DeadLetterRecord b,
      Path flowFile,
      StateStore store,
      Home home,
      StoreOptions storeOptions,
      PrintWriter out,
      PrintWriter err)
      throws Exception {
    String triggerId = b.taskId().substring(PREFIX.length());
    String broker = b.taskType().substring("queue.".length());
    if (flowFile == null) {
      throw new WeirException(
          "batch "
              + b.id()
              + " holds messages of "
              + broker
              + " trigger '"
              + triggerId
              + "' of "
              + b.namespace()
              + "."
              + b.flowId()
              + " whose run could not start; name the flow file to start their runs with, e.g."
              + " `weir deadletters replay "
              + b.id()
              + " --flow flows/"
              + b.flowId()
              + ".yaml`");
    }
    if (!Files.isRegularFile(flowFile)) {
      throw new WeirException("no flow file " + flowFile + "; give the file of " + b.flowId());
    }
    List<ObjectNode> letters;
    try {
      letters =
          DeadLettersCommand.read(
              b,
              Integer.MAX_VALUE,
              storeOptions.surroundings(),
              flowFile.toAbsolutePath().getParent());
    } catch (WeirException e) {
      throw LetterReadFailure.with(e, "No run was started.");
    }
    try (Engine engine =
        EngineFactory.create(
            store, home.dir(), RunListener.NONE, storeOptions.surroundings(), err)) {
      Flow flow = engine.parser().parse(flowFile);
      if (!flow.namespace().equals(b.namespace()) || !flow.id().equals(b.flowId())) {
        throw new WeirException(
            flowFile
                + " is flow "
                + flow.namespace()
                + "."
                + flow.id()
                + ", but batch "
                + b.id()
                + " is of "
                + b.namespace()
                + "."
                + b.flowId());
      }
      QueueTrigger t = trigger(flow, triggerId, b);
      out.printf(
          "Replaying batch %s (%,d messages of %s trigger %s) with %s as it is now%n",
          b.id(), letters.size(), t.type(), t.id(), flowFile.getFileName());
      out.flush();
      QueueFires fires =
          store instanceof JdbcStateStore j ? new ServerStore(j.dataSource()).queueFires() : null;
      Messages m = messages(engine, flow, t, letters, fires);
      var handles = new ArrayList<RunHandle>();
      int refused = m.refused();
      String firstReason = m.firstReason();
      for (List<Keyed> group : groups(t, m.fresh())) {
        Map<String, Object> data =
            t.maxBatch() == 1
                ? group.get(0).data()
                : QueueMessages.batch(t, group.stream().map(Keyed::data).toList());
        try {
          var inputs = engine.renderTriggerInputs(flow, t.type(), t.inputs(), data);
          RunHandle h =
              engine.start(new Engine.StartRequest(flow, flowFile, inputs, t.type(), null, data));
          handles.add(h);
          // each message's run, so that a second replay (or the broker's redelivery to a
          // server) skips it instead of starting it again
          for (Keyed k : group) {
            if (fires != null && k.fireKey() != null) {
              fires.recordRun(
                  flow.namespace(), flow.id(), t.id(), k.fireKey(), h.runId(), Instant.now());
            }
          }
        } catch (WeirException e) {
          refused += group.size();
          firstReason = firstReason == null ? e.getMessage() : firstReason;
        }
      }
      int succeeded = 0;
      String lastRun = null;
      for (RunHandle h : handles) {
        RunRecord r = h.await();
        lastRun = r.id();
        succeeded += r.state() == RunState.SUCCEEDED ? 1 : 0;
      }
      String outcome =
          "started "
              + handles.size()
              + " run"
              + (handles.size() == 1 ? "" : "s")
              + " ("
              + succeeded
              + " succeeded), "
              + refused
              + " still cannot start"
              + (m.startedBefore() == 0
                  ? ""
                  : ", " + m.startedBefore() + " skipped (their run was started before)")
              + (firstReason == null ? "" : " (first: " + Progress.firstLine(firstReason) + ")");
      store.deadLetters().markReplayed(b.id(), Instant.now(), lastRun, outcome);
      out.println(outcome);
      return refused == 0 && succeeded == handles.size() ? 0 : Errors.FAILED;
    }
  }

  /** A stored message with its fire key (null when it has no id and the trigger no key). */
  private record Keyed(String fireKey, Map<String, Object> data) {}

  private record Messages(List<Keyed> fresh, int refused, String firstReason, int startedBefore) {}

  /**
   * The letters as the server's consumer would see them now ({@link QueueMessages}): their keys
   * rendered with the flow as it is, those that started a run before (an earlier replay, a
   * redelivery to a server) and repeats left out, per message.
   */
  private static Messages messages(
      Engine engine, Flow flow, QueueTrigger t, List<ObjectNode> letters, QueueFires fires) {
    var keyed = new ArrayList<Keyed>();
    int refused = 0;
    String firstReason = null;
    for (ObjectNode l : letters) {
      IncomingMessage m = QueueMessages.fromRecord(l.path("record"));
      String key;
      try {
        key = QueueMessages.dedupeKey(engine, flow, t, m);
      } catch (WeirException e) {
        refused++;
        firstReason =
            firstReason == null ? "its key does not render: " + e.getMessage() : firstReason;
        continue;
      }
      keyed.add(
          new Keyed(
              key == null ? null : QueueMessages.fireKey(key), QueueMessages.data(t, m, key)));
    }
    var keys = keyed.stream().map(Keyed::fireKey).filter(k -> k != null).toList();
    Set<String> started =
        fires == null ? Set.of() : fires.startedAmong(flow.namespace(), flow.id(), t.id(), keys);
    var fresh = new ArrayList<Keyed>();
    var seen = new HashSet<String>();
    int before = 0;
    for (Keyed k : keyed) {
      if (k.fireKey() != null && (started.contains(k.fireKey()) || !seen.add(k.fireKey()))) {
        before++;
      } else {
        fresh.add(k);
      }
    }
    return new Messages(fresh, refused, firstReason, before);
  }

  private static QueueTrigger trigger(Flow flow, String id, DeadLetterRecord b) {
    for (TriggerDef d : flow.triggers()) {
      if (d instanceof QueueTrigger q && q.id().equals(id)) {
        return q;
      }
    }
    throw new WeirException(
        "flow "
            + b.namespace()
            + "."
            + b.flowId()
            + " has no queue trigger '"
            + id
            + "' now; the messages replay through the trigger that received them");
  }

  /** Groups of maxBatch messages. */
  private static List<List<Keyed>> groups(QueueTrigger t, List<Keyed> messages) {
    var out = new ArrayList<List<Keyed>>();
    for (int from = 0; from < messages.size(); from += t.maxBatch()) {
      out.add(messages.subList(from, Math.min(messages.size(), from + t.maxBatch())));
    }
    return out;
  }
}
