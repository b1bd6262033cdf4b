package dev.weir.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.WeirException;
import dev.weir.expr.ExpressionException;
import dev.weir.flow.TaskDef;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.task.Dataset;
import dev.weir.task.TaskFailedException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs forEach groups: starts a group's items a window at a time (its {@code concurrency}), each
 * item's tasks as task runs {@code group[key]/task}; when an item's tasks have all ended, records
 * its outcome, forgets its task runs and starts the next; ends the group when every item ended (or,
 * with {@code onItemFailure: fail}, when one failed and the running ones ended). On a resume or
 * retry, items whose tasks all succeeded before are not run again.
 */
final class ForEachDriver {
  /** What the driver needs from the coordinator. */
  interface Hooks {
    /** Brings a task run stored before this coordinator started to where it can go on. */
    void recover(TaskSlot s);

    void restoreOutputs(TaskSlot s);

    void log(TaskSlot s, String level, String message);

    String mask(String text);

    /** The variables the slot's own templates see besides the run's (failedTask, item). */
    Map<String, Object> variables(TaskSlot s);
  }

  private final TaskTable table;
  private final RunScope scope;
  private final StoredRows stored;
  private final int runAttempt;
  private final InstantSource clock;
  private final Hooks hooks;

  ForEachDriver(
      TaskTable table,
      RunScope scope,
      StoredRows stored,
      int runAttempt,
      InstantSource clock,
      Hooks hooks) {
    this.table = table;
    this.scope = scope;
    this.stored = stored;
    this.runAttempt = runAttempt;
    this.clock = clock;
    this.hooks = hooks;
  }

  /** The group is ready to run: works out its items and starts the first ones. */
  void start(TaskSlot g) {
    Instant now = clock.instant();
    ForEachItems.Items items;
    try {
      items = items(g);
    } catch (WeirException e) {
      String why = e instanceof ExpressionException x ? x.getMessage() : e.getMessage();
      table.queue(g, now);
      table.fail(g, TaskState.FAILED, now, hooks.mask("forEach: " + why), null);
      return;
    }
    table.queue(g, now);
    table.startGroup(g, now, encodeItems(items));
    ForEachRun run = newRun(g, items);
    hooks.log(g, "INFO", items.values().size() + " items, at most " + run.concurrency + " at once");
    // on a retry, items whose tasks all succeeded in the earlier attempt are kept
    for (int i = 0; i < run.size(); i++) {
      adoptFinished(run, i);
    }
    progress(run);
  }

  /** A group that was running when the process stopped: its stored items go on. */
  void resume(TaskSlot g) {
    ForEachRun run = newRun(g, decodeItems(g.current.outputs()));
    for (int i = 0; i < run.size(); i++) {
      adoptFinished(run, i);
    }
    progress(run);
  }

  /** A task of an item ended: the item may be done, and the next ones may start. */
  void itemTaskEnded(TaskSlot s) {
    ForEachRun run = s.group;
    int i = s.itemIndex;
    if (run.groupSlot.state().isTerminal()
        || run.status[i] != ForEachRun.RUNNING
        || table.get(s.id()) != s
        || !itemEnded(run, i)) {
      return; // the group stopped, the item is done already, or a task of it still runs
    }
    finishItem(run, i);
    progress(run);
  }

  private boolean itemEnded(ForEachRun run, int i) {
    String prefix = run.prefix(i);
    for (TaskDef child : run.groupSlot.def.children()) {
      TaskSlot c = table.get(prefix + child.id());
      if (c != null && !c.state().isTerminal()) {
        return false;
      }
    }
    return true;
  }

  private ForEachItems.Items items(TaskSlot g) {
    Map<String, Object> vars = hooks.variables(g);
    return ForEachItems.of(
        g.def.properties(),
        t -> scope.evaluate(t, vars, g.place),
        (t, extra) -> {
          var all = new LinkedHashMap<String, Object>(vars);
          all.putAll(extra);
          return scope.render(t, all, g.place);
        },
        this::dataset);
  }

  private Dataset dataset(String name) {
    String id = name;
    Dataset d = scope.datasets.get(id);
    if (d == null) {
      throw TaskFailedException.permanent(
          "rows: task '" + name + "' has no dataset in this run; name a task that makes one");
    }
    return d;
  }

  private ForEachRun newRun(TaskSlot g, ForEachItems.Items items) {
    JsonNode c = g.def.properties().get("concurrency");
    int concurrency = c != null && c.canConvertToInt() ? c.asInt() : scope.flow.parallelism();
    JsonNode f = g.def.properties().get("onItemFailure");
    boolean keepGoing = f != null && "continue".equals(f.asText());
    var run = new ForEachRun(g, items.values(), items.keys(), Math.max(1, concurrency), keepGoing);
    g.expansion = run;
    return run;
  }

  /** Starts items while the window allows; ends the group when all are done. */
  private void progress(ForEachRun run) {
    while (!run.stopping && run.active < run.concurrency && run.cursor < run.size()) {
      int i = run.cursor++;
      if (run.status[i] == ForEachRun.NOT_STARTED) {
        startItem(run, i);
      }
    }
    if (run.done()) {
      endGroup(run);
    }
  }

  /**
   * An item whose tasks all ended in an earlier process (a resume) or all succeeded in an earlier
   * run attempt (a retry) counts as done without running again.
   */
  private void adoptFinished(ForEachRun run, int i) {
    String prefix = run.prefix(i);
    boolean allOk = true;
    for (TaskDef child : run.groupSlot.def.children()) {
      TaskRunRecord r = stored.peek(prefix + child.id());
      if (r == null || !r.state().isTerminal()) {
        return;
      }
      boolean earlier = r.runAttempt() < runAttempt;
      if (earlier && r.state() != TaskState.SUCCEEDED) {
        return; // a retry runs it again
      }
      allOk &= r.state().isSuccessful();
    }
    var outputs = new LinkedHashMap<String, Object>();
    String failure = null;
    for (TaskDef child : run.groupSlot.def.children()) {
      TaskRunRecord r = stored.take(prefix + child.id());
      outputs.put(child.id(), DatasetCodec.decodeOutputs(r.outputs()));
      if (failure == null && !r.state().isSuccessful()) {
        failure = "task '" + r.taskId() + "' " + r.state().name().toLowerCase() + ": " + r.error();
      }
    }
    record(run, i, allOk, outputs, failure);
  }

  private void startItem(ForEachRun run, int i) {
    String prefix = run.prefix(i);
    var slots = new ArrayList<TaskSlot>();
    for (TaskDef child : run.groupSlot.def.children()) {
      String id = prefix + child.id();
      TaskRunRecord row = stored.take(id);
      boolean fresh = row == null;
      if (fresh) {
        row = TaskRunRecord.pending(scope.runId, id, 1, runAttempt);
      }
      var place = new Place(child.id(), prefix, run.childDag, run.groupSlot.place);
      var slot = new TaskSlot(child, place, run, i, row);
      slot.failures = stored.failures(id);
      table.add(slot, fresh);
      slots.add(slot);
    }
    run.status[i] = ForEachRun.RUNNING;
    run.active++;
    for (TaskSlot s : slots) {
      if (s.is(TaskState.SUCCEEDED)) {
        hooks.restoreOutputs(s);
      } else if (s.state().isTerminal() && s.current.runAttempt() < runAttempt) {
        table.again(s, runAttempt); // a retry: what did not succeed runs again
      } else {
        hooks.recover(s);
      }
      table.consider(s);
    }
    if (itemEnded(run, i)) {
      finishItem(run, i);
    }
  }

  private void finishItem(ForEachRun run, int i) {
    String prefix = run.prefix(i);
    var outputs = new LinkedHashMap<String, Object>();
    boolean ok = true;
    String failure = null;
    for (TaskDef child : run.groupSlot.def.children()) {
      TaskSlot s = table.get(prefix + child.id());
      Map<String, Object> out = scope.outputs.remove(s.id());
      scope.datasets.remove(s.id());
      outputs.put(child.id(), out == null ? Map.of() : out);
      if (!s.state().isSuccessful()) {
        ok = false;
        if (failure == null) {
          failure =
              "task '" + s.id() + "' " + s.state().name().toLowerCase() + ": " + s.current.error();
        }
      }
      table.remove(s);
    }
    run.active--;
    // items of tasks without outputs share one value: 10,000 such items hold no 10,000 maps
    boolean empty = outputs.values().stream().allMatch(o -> ((Map<?, ?>) o).isEmpty());
    record(run, i, ok, empty ? run.emptyOutputs() : outputs, failure);
  }

  private void record(
      ForEachRun run, int i, boolean ok, Map<String, Object> outputs, String failure) {
    run.status[i] = ok ? ForEachRun.SUCCEEDED : ForEachRun.FAILED;
    if (ok) {
      run.succeeded++;
      run.itemOutputs[i] = outputs;
      return;
    }
    run.failed++;
    if (run.firstFailure == null) {
      run.firstFailure = "item '" + run.keys.get(i) + "' failed: " + failure;
    }
    if (!run.continueOnFailure) {
      run.stopping = true; // the running items finish; no new one starts
    }
  }

  private void endGroup(ForEachRun run) {
    TaskSlot g = run.groupSlot;
    Instant now = clock.instant();
    Map<String, Object> outputs = run.outputs();
    String json = hooks.mask(DatasetCodec.encodeOutputs(outputs));
    if (run.failed > 0 && !run.continueOnFailure) {
      table.fail(g, TaskState.FAILED, now, hooks.mask(run.firstFailure), json);
      return;
    }
    if (run.failed > 0) {
      hooks.log(
          g,
          "WARN",
          run.failed
              + " of "
              + run.size()
              + " items failed (onItemFailure: continue): "
              + String.join(", ", firstKeys(outputs))
              + "; first: "
              + run.firstFailure);
    }
    scope.outputs.put(g.id(), outputs);
    table.succeed(g, now, json, null, -1, null);
  }

  @SuppressWarnings("unchecked")
  private static List<String> firstKeys(Map<String, Object> outputs) {
    List<String> keys = (List<String>) outputs.get("failedKeys");
    return keys.size() <= 10 ? keys : keys.subList(0, 10);
  }

  private static String encodeItems(ForEachItems.Items items) {
    var m = new LinkedHashMap<String, Object>();
    m.put("items", items.values());
    m.put("keys", items.keys());
    try {
      return DatasetCodec.JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new WeirException(
          "the items of a forEach cannot be stored as JSON: " + e.getOriginalMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static ForEachItems.Items decodeItems(String json) {
    try {
      Map<String, Object> m = DatasetCodec.JSON.readValue(json, Map.class);
      return new ForEachItems.Items((List<Object>) m.get("items"), (List<String>) m.get("keys"));
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalStateException("the stored items of a running forEach are unreadable", e);
    }
  }
}
