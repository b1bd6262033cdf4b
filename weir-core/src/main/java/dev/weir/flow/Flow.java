package dev.weir.flow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.flow.alert.AlertRule;
import dev.weir.flow.alert.Sla;
import dev.weir.flow.trigger.TriggerDef;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A validated flow definition.
 *
 * @param variables raw values, strings possibly templates
 * @param timeout whole-run timeout, null when none
 * @param retry default retry of every task
 * @param parallelism at most this many tasks of one run at once
 * @param triggers what starts runs in {@code weir server}; empty when none
 * @param concurrency how many runs may be active at once; null when the flow sets no limit
 * @param sla when a run is late ({@link Sla#DEFAULT} when the flow sets none)
 * @param alerts who hears about failures, recoveries and late runs; empty when none
 */
public record Flow(
    String id,
    String namespace,
    String description,
    Map<String, String> labels,
    List<InputDef> inputs,
    Map<String, JsonNode> variables,
    Duration timeout,
    RetryPolicy retry,
    int parallelism,
    List<TaskDef> tasks,
    List<TaskDef> onFailure,
    List<TaskDef> finallyTasks,
    List<TriggerDef> triggers,
    Concurrency concurrency,
    FlowSource source,
    Sla sla,
    List<AlertRule> alerts) {

  public static final int DEFAULT_PARALLELISM = 8;

  public Flow {
    labels = Map.copyOf(labels);
    inputs = List.copyOf(inputs);
    variables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    tasks = List.copyOf(tasks);
    onFailure = List.copyOf(onFailure);
    finallyTasks = List.copyOf(finallyTasks);
    triggers = triggers == null ? List.of() : List.copyOf(triggers);
    sla = sla == null ? Sla.DEFAULT : sla;
    alerts = alerts == null ? List.of() : List.copyOf(alerts);
  }

  /** A flow without {@code sla:} and {@code alerts:}. */
  public Flow(
      String id,
      String namespace,
      String description,
      Map<String, String> labels,
      List<InputDef> inputs,
      Map<String, JsonNode> variables,
      Duration timeout,
      RetryPolicy retry,
      int parallelism,
      List<TaskDef> tasks,
      List<TaskDef> onFailure,
      List<TaskDef> finallyTasks,
      List<TriggerDef> triggers,
      Concurrency concurrency,
      FlowSource source) {
    this(
        id,
        namespace,
        description,
        labels,
        inputs,
        variables,
        timeout,
        retry,
        parallelism,
        tasks,
        onFailure,
        finallyTasks,
        triggers,
        concurrency,
        source,
        null,
        null);
  }

  /** Every task of every phase, in file order. */
  public List<TaskDef> allTasks() {
    return Stream.of(tasks, onFailure, finallyTasks).flatMap(List::stream).toList();
  }

  /** Every task, the tasks inside {@code forEach} groups included (at any depth). */
  public List<TaskDef> everyTask() {
    return allTasks().stream().flatMap(TaskDef::selfAndDescendants).toList();
  }

  public Optional<TaskDef> task(String taskId) {
    return allTasks().stream().filter(t -> t.id().equals(taskId)).findFirst();
  }

  public String qualifiedId() {
    return namespace + "." + id;
  }
}
