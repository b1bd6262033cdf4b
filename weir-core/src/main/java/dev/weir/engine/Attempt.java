package dev.weir.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.flow.ConfigBinder;
import dev.weir.flow.TaskDef;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import java.util.Map;
import java.util.function.Consumer;

/** One attempt of one task, run on its own virtual thread; reports back through an event. */
final class Attempt implements Runnable {
  private final RunScope scope;
  private final TaskDef def;
  private final TaskType<?> type;
  private final int attempt;
  private final Map<String, Object> extraVariables;
  private final AttemptContext context;
  private final AttemptControl control;
  private final Consumer<EngineEvent> post;

  Attempt(
      RunScope scope,
      TaskDef def,
      TaskType<?> type,
      int attempt,
      Map<String, Object> extraVariables,
      AttemptContext context,
      AttemptControl control,
      Consumer<EngineEvent> post) {
    this.scope = scope;
    this.def = def;
    this.type = type;
    this.attempt = attempt;
    this.extraVariables = extraVariables;
    this.context = context;
    this.control = control;
    this.post = post;
  }

  @Override
  public void run() {
    control.bind(Thread.currentThread());
    try {
      TaskResult result = execute(type);
      post.accept(new EngineEvent.AttemptSucceeded(def.id(), attempt, result));
    } catch (Throwable t) {
      post.accept(new EngineEvent.AttemptFailed(def.id(), attempt, t));
    }
  }

  private <C extends Record> TaskResult execute(TaskType<C> t) throws Exception {
    JsonNode props = def.properties();
    if (ConfigBinder.containsTemplate(props)) {
      props = scope.expressions.renderTree(props, scope.variables(extraVariables), scope.services);
    }
    C config;
    try {
      config = ConfigBinder.bind(props, t.configType());
    } catch (IllegalArgumentException e) {
      throw TaskFailedException.permanent(
          "invalid properties for a " + def.type() + " task: " + e.getMessage());
    }
    TaskResult result = t.run(config, context);
    return result == null ? TaskResult.empty() : result;
  }
}
