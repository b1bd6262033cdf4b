package dev.weir.engine;

import dev.weir.flow.Dag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One forEach group while it runs: its items and keys, which items run, succeeded or failed, and
 * the outputs of those that ended. Item tasks exist as task runs only while their item runs, so the
 * coordinator holds a window of {@code concurrency} items, not all of them.
 */
final class ForEachRun {
  static final byte NOT_STARTED = 0;
  static final byte RUNNING = 1;
  static final byte SUCCEEDED = 2;
  static final byte FAILED = 3;

  final TaskSlot groupSlot;
  final List<Object> items;
  final List<String> keys;
  final Dag childDag;
  final int concurrency;
  final boolean continueOnFailure;
  final byte[] status;
  final Object[] itemOutputs;
  int cursor;
  int active;
  int succeeded;
  int failed;
  String firstFailure;
  boolean stopping;

  ForEachRun(
      TaskSlot groupSlot,
      List<Object> items,
      List<String> keys,
      int concurrency,
      boolean continueOnFailure) {
    this.groupSlot = groupSlot;
    this.items = items;
    this.keys = keys;
    this.childDag = new Dag(groupSlot.def.children());
    this.concurrency = concurrency;
    this.continueOnFailure = continueOnFailure;
    this.status = new byte[items.size()];
    this.itemOutputs = new Object[items.size()];
  }

  private Map<String, Object> emptyOutputs;

  /** An item's outputs when none of its tasks had any: {@code {task: {}}}, shared. */
  Map<String, Object> emptyOutputs() {
    if (emptyOutputs == null) {
      var m = new LinkedHashMap<String, Object>();
      groupSlot.def.children().forEach(c -> m.put(c.id(), Map.of()));
      emptyOutputs = java.util.Collections.unmodifiableMap(m);
    }
    return emptyOutputs;
  }

  int size() {
    return items.size();
  }

  /** The prefix of item {@code i}'s task runs: {@code group[key]/}. */
  String prefix(int i) {
    return groupSlot.id() + "[" + keys.get(i) + "]/";
  }

  /** {@code item}, {@code itemIndex} and, in a nested group, {@code parent}, for item {@code i}. */
  Map<String, Object> variables(int i) {
    var vars = new LinkedHashMap<String, Object>();
    vars.put("item", items.get(i));
    vars.put("itemIndex", i);
    if (groupSlot.group != null) {
      vars.put("parent", groupSlot.group.variables(groupSlot.itemIndex));
    }
    return vars;
  }

  boolean done() {
    return active == 0 && (cursor >= items.size() || stopping);
  }

  /**
   * The group's outputs: each item's outputs in item order (null for a failed item), and counts.
   */
  Map<String, Object> outputs() {
    var failedKeys = new ArrayList<String>();
    var list = new ArrayList<Object>(items.size());
    for (int i = 0; i < items.size(); i++) {
      list.add(status[i] == SUCCEEDED ? itemOutputs[i] : null);
      if (status[i] == FAILED) {
        failedKeys.add(keys.get(i));
      }
    }
    var out = new LinkedHashMap<String, Object>();
    out.put("items", list);
    out.put("keys", keys);
    out.put("succeeded", succeeded);
    out.put("failed", failed);
    out.put("failedKeys", failedKeys);
    return out;
  }
}
