package dev.weir.expr;

import io.pebbletemplates.pebble.extension.core.RangeFunction;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.util.AbstractList;
import java.util.Map;
import java.util.function.Function;

/**
 * Pebble's {@code range()}, but for numbers a list that computes its items as they are read instead
 * of holding them all: Pebble's own builds every item first, so {@code range(1, 100000000)} took
 * gigabytes before the loop began. Each item read counts against the render's budget (time, and
 * steps: see {@link RenderBudget#step()}), so no loop runs unbounded.
 */
final class LazyRange extends RangeFunction {
  private final Function<EvaluationContext, RenderBudget> budget;

  LazyRange(Function<EvaluationContext, RenderBudget> budget) {
    this.budget = budget;
  }

  @Override
  public Object execute(
      Map<String, Object> args, PebbleTemplate self, EvaluationContext context, int line) {
    Object start = args.get("start");
    Object end = args.get("end");
    Object step = args.get("increment");
    if (!(start instanceof Number s && end instanceof Number e)
        || (step != null && !(step instanceof Number))) {
      return super.execute(args, self, context, line); // letters, or Pebble's own error
    }
    long by = step == null ? 1 : ((Number) step).longValue();
    if (by == 0) {
      return super.execute(args, self, context, line); // Pebble's error for a zero increment
    }
    long from = s.longValue();
    long to = e.longValue();
    long count =
        by > 0 ? (to < from ? 0 : (to - from) / by + 1) : (to > from ? 0 : (from - to) / -by + 1);
    // past Integer.MAX_VALUE items the budget stops the loop long before the end
    return new Items(from, by, (int) Math.min(count, Integer.MAX_VALUE), budget.apply(context));
  }

  private static final class Items extends AbstractList<Long> {
    private final long from;
    private final long by;
    private final int size;
    private final RenderBudget budget;

    Items(long from, long by, int size, RenderBudget budget) {
      this.from = from;
      this.by = by;
      this.size = size;
      this.budget = budget;
    }

    @Override
    public Long get(int index) {
      if (index < 0 || index >= size) {
        throw new IndexOutOfBoundsException(index);
      }
      budget.step();
      return from + index * by;
    }

    @Override
    public int size() {
      return size;
    }
  }
}
