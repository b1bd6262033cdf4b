package dev.weir.task;

import dev.weir.WeirException;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/** The task types on the class path, found through {@link ServiceLoader}. */
public final class TaskRegistry {
  private final Map<String, TaskType<?>> types;

  public TaskRegistry(Iterable<TaskType<?>> types) {
    var m = new TreeMap<String, TaskType<?>>();
    for (TaskType<?> t : types) {
      TaskType<?> old = m.put(t.name(), t);
      if (old != null) {
        throw new WeirException(
            "two task types are named '"
                + t.name()
                + "': "
                + old.getClass().getName()
                + " and "
                + t.getClass().getName());
      }
    }
    this.types = Map.copyOf(m);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static TaskRegistry load() {
    Iterable<TaskType<?>> found = (Iterable) ServiceLoader.load(TaskType.class);
    return new TaskRegistry(found);
  }

  public TaskType<?> get(String name) {
    return types.get(name);
  }

  public Set<String> names() {
    return new java.util.TreeSet<>(types.keySet());
  }
}
