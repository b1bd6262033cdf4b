package dev.weir.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.flow.Durations;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code forEach}: runs its {@code tasks:} once per item. The engine runs a group itself (each
 * item's tasks are task runs of their own, {@code group[key]/task}); this type only declares and
 * checks the group's settings, so that validation, the editor schema and the docs know them.
 */
public final class ForEachType implements TaskType<ForEachType.Config> {
  /** What {@code onItemFailure} may say. */
  public static final List<String> ON_ITEM_FAILURE = List.of("fail", "continue");

  /**
   * @param items a list, or an expression giving one ({@code "{{ outputs.list.files }}"})
   * @param dates a range of dates instead of items
   * @param rows the id of an upstream task whose dataset's rows are the items (at most 10,000)
   * @param key names each item's task runs ({@code group[<key>]/task}); the item itself when it is
   *     a short plain value, else its index
   * @param concurrency at most this many items run at once (the flow's parallelism by default)
   * @param onItemFailure {@code fail} (default): an item that fails stops new items and fails the
   *     group; {@code continue}: the other items go on and the group succeeds, listing the failed
   */
  public record Config(
      JsonNode items,
      DateRange dates,
      String rows,
      String key,
      Integer concurrency,
      String onItemFailure) {}

  /**
   * @param step a duration of whole days ({@code 1d}, {@code 7d}) gives dates, anything shorter
   *     timestamps; {@code 1d} by default
   */
  public record DateRange(
      @Required(example = "2026-01-01") String from,
      @Required(example = "2026-01-31") String to,
      String step) {}

  @Override
  public String name() {
    return dev.weir.flow.TaskDef.FOR_EACH;
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) {
    throw new IllegalStateException("a forEach group is run by the engine, not as a task");
  }

  @Override
  public List<String> validate(Config c) {
    var out = new ArrayList<String>();
    int sources =
        (c.items() == null ? 0 : 1) + (c.dates() == null ? 0 : 1) + (c.rows() == null ? 0 : 1);
    if (sources != 1) {
      out.add(
          "a forEach needs exactly one of items, dates and rows (it has "
              + (sources == 0 ? "none" : sources)
              + "); e.g. `items: [a, b]`, `dates: {from: 2026-01-01, to: 2026-01-31}` or"
              + " `rows: list_task`");
    }
    if (c.concurrency() != null && c.concurrency() < 1) {
      out.add("concurrency must be 1 or more, got " + c.concurrency());
    }
    if (c.onItemFailure() != null && !ON_ITEM_FAILURE.contains(c.onItemFailure())) {
      out.add("onItemFailure must be fail or continue, got '" + c.onItemFailure() + "'");
    }
    if (c.dates() != null && c.dates().step() != null && !c.dates().step().contains("{{")) {
      try {
        if (!Durations.parse(c.dates().step()).isPositive()) {
          out.add("dates.step must be positive, got " + c.dates().step());
        }
      } catch (RuntimeException e) {
        out.add("dates.step: " + e.getMessage());
      }
    }
    return out;
  }
}
