package dev.weir.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.weir.store.DeadLetterRecord;
import dev.weir.store.DeadLetterStore;
import dev.weir.task.TaskFailedException;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The {@link DeadLetters} of one origin: streams each letter to its storage, then on {@link
 * #finish} commits them (replacing what the same origin wrote before), indexes the batch in the
 * state store and judges {@code maxRejected}.
 */
public final class DeadLetterSink implements DeadLetters, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

  private final DeadLetterSpec spec;
  private final Origin origin;
  private final String taskType;
  private final DeadLetterStorage.Batch batch;
  private final UnaryOperator<String> mask;
  private final DeadLetterStore index;
  private final InstantSource clock;
  private final MaxRejected limit;
  private long rejected;
  private long handled;
  private String firstReason;
  private boolean done;
  private boolean keepEarlier;

  private DeadLetterSink(
      DeadLetterSpec spec,
      Origin origin,
      String taskType,
      DeadLetterStorage.Batch batch,
      UnaryOperator<String> mask,
      DeadLetterStore index,
      InstantSource clock) {
    this.spec = spec;
    this.origin = origin;
    this.taskType = taskType;
    this.batch = batch;
    this.mask = mask;
    this.index = index;
    this.clock = clock;
    this.limit = spec.limit();
  }

  /**
   * Opens the dead letters of {@code origin}, for a task attempt (the engine does this) or for
   * server code without a task context.
   *
   * @param mask replaces secret values in text (records and reasons pass through it)
   * @param index the state store's index; null to keep no index
   * @throws IllegalArgumentException when no storage takes {@code spec}, naming the forms that work
   */
  public static DeadLetterSink open(
      DeadLetterSpec spec,
      Origin origin,
      String taskType,
      DeadLetterStorage.Environment env,
      UnaryOperator<String> mask,
      DeadLetterStore index,
      InstantSource clock)
      throws Exception {
    DeadLetterStorage storage = DeadLetterStorages.forSpec(spec);
    return new DeadLetterSink(
        spec, origin, taskType, storage.open(spec, origin, env), mask, index, clock);
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public synchronized void reject(Object record, String reason) {
    if (done) {
      throw new IllegalStateException("the dead letters of " + origin + " are closed");
    }
    String why = mask.apply(reason == null ? "(no reason given)" : reason);
    ObjectNode letter = JsonNodeFactory.instance.objectNode();
    letter.set("record", masked(toJson(record)));
    letter.put("reason", why);
    letter.put("namespace", origin.namespace());
    letter.put("flow", origin.flowId());
    letter.put("run", origin.runId());
    letter.put("task", origin.taskId());
    letter.put("taskType", taskType);
    letter.put("attempt", origin.attempt());
    letter.put("at", clock.instant().toString());
    try {
      batch.add(letter);
    } catch (Exception e) {
      throw new TaskFailedException(
          "cannot write a dead letter to " + batch.location() + ": " + e.getMessage(),
          true,
          Map.of(),
          e);
    }
    if (firstReason == null) {
      firstReason = why;
    }
    rejected++;
  }

  @Override
  public synchronized void handled(long records) {
    handled += records;
  }

  @Override
  public synchronized long rejected() {
    return rejected;
  }

  @Override
  public synchronized long handledCount() {
    return handled;
  }

  @Override
  public String location() {
    return batch.location();
  }

  @Override
  public synchronized boolean wouldExceed(long more, long handledInAll) {
    return limit.exceededBy(rejected + more, Math.max(handledInAll, handled));
  }

  @Override
  public synchronized void keepEarlier() {
    keepEarlier = true;
  }

  /**
   * Commits the letters and indexes them, then judges {@code maxRejected}.
   *
   * @return the outputs to add to the task's: {@code rejected} and {@code deadLetters}
   * @throws TaskFailedException (not retryable: the data will not change) when more records were
   *     set aside than {@code maxRejected} allows
   */
  public synchronized Map<String, Object> finish() throws Exception {
    done = true;
    if (keepEarlier) {
      batch.close();
      var earlier = index == null ? null : index.find(origin.batchId()).orElse(null);
      var outputs = new java.util.LinkedHashMap<String, Object>();
      outputs.put("rejected", earlier == null ? 0L : earlier.letters());
      outputs.put("deadLetters", earlier == null ? "" : earlier.location());
      return outputs;
    }
    batch.commit();
    // the handled count may be short when a task counts only what it set aside
    long all = Math.max(handled, rejected);
    if (index != null) {
      index.save(
          new DeadLetterRecord(
              origin.batchId(),
              origin.namespace(),
              origin.flowId(),
              origin.runId(),
              origin.taskId(),
              origin.attempt(),
              taskType,
              batch.location(),
              rejected,
              all,
              firstReason,
              clock.instant(),
              null,
              null,
              null));
    }
    var outputs = new java.util.LinkedHashMap<String, Object>();
    outputs.put("rejected", rejected);
    outputs.put("deadLetters", rejected > 0 ? batch.location() : "");
    if (limit.exceededBy(rejected, all)) {
      throw new TaskFailedException(tooMany(all), false, outputs, null);
    }
    return outputs;
  }

  private String tooMany(long all) {
    return "task "
        + origin.taskId()
        + " set aside "
        + rejected
        + " of "
        + all
        + " records ("
        + percent(rejected, all)
        + "), more than maxRejected "
        + limit
        + "; see "
        + batch.location()
        + " (first: "
        + firstReason
        + "). Fix the data and `weir deadletters replay "
        + origin.batchId()
        + "`, or raise deadLetter.maxRejected (e.g. `maxRejected: 5%`)";
  }

  private static String percent(long part, long whole) {
    if (whole == 0) {
      return "100%";
    }
    double p = part * 100.0 / whole;
    return (p >= 10 || p == Math.rint(p)
            ? String.valueOf(Math.round(p))
            : String.format(java.util.Locale.ROOT, "%.1f", p))
        + "%";
  }

  /** Drops letters not committed: an attempt that fails for another reason keeps none. */
  @Override
  public synchronized void close() throws Exception {
    done = true;
    batch.close();
  }

  public DeadLetterSpec spec() {
    return spec;
  }

  private static JsonNode toJson(Object record) {
    if (record instanceof JsonNode n) {
      return n.deepCopy();
    }
    if (record instanceof String s) {
      return TextNode.valueOf(s);
    }
    try {
      return JSON.valueToTree(record);
    } catch (IllegalArgumentException e) {
      return TextNode.valueOf(String.valueOf(record));
    }
  }

  // every text of the record, at any depth, field names too: a secret may sit anywhere
  private JsonNode masked(JsonNode n) {
    if (n.isTextual()) {
      return TextNode.valueOf(mask.apply(n.asText()));
    }
    if (n instanceof ArrayNode a) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      a.forEach(e -> out.add(masked(e)));
      return out;
    }
    if (n instanceof ObjectNode o) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        var e = it.next();
        out.set(mask.apply(e.getKey()), masked(e.getValue()));
      }
      return out;
    }
    return n;
  }
}
