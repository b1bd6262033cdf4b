package dev.weir.tasks.models;

import com.hubspot.jinjava.lib.fn.MacroFunction;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A {@code {% macro %}} from macros/ that may end with dbt's {@code {{ return(value) }}}: the call
 * then gives that value (a list, a dict, a number) instead of the rendered text. Unlike dbt, the
 * rest of the macro's body still renders (and is thrown away), so put {@code return} last. It also
 * keeps the macro calls in progress, so that an error inside one names the macro's file.
 */
final class ReturningMacro extends MacroFunction {
  /** One macro call in progress: the macro, its file, and what {@code return()} set. */
  static final class Frame {
    final String macro;
    final String file;
    private Object value;
    private boolean returned;

    Frame(String macro, String file) {
      this.macro = macro;
      this.file = file;
    }
  }

  /** The macro calls in progress, innermost first. */
  static final class Returns {
    private final Deque<Frame> frames = new ArrayDeque<>();

    /** {@code return(value)}: false when no macro is running (return outside a macro). */
    boolean set(Object value) {
      Frame f = frames.peek();
      if (f == null) {
        return false;
      }
      f.value = value;
      f.returned = true;
      return true;
    }

    /** The innermost macro call in progress, or null. */
    Frame current() {
      return frames.peek();
    }
  }

  private final Returns returns;
  private final String file;

  ReturningMacro(MacroFunction source, Returns returns, String file) {
    super(source, source.getName());
    this.returns = returns;
    this.file = file;
  }

  @Override
  public Object doEvaluate(
      Map<String, Object> argMap, Map<String, Object> kwargMap, List<Object> varArgs) {
    Frame frame = new Frame(getName(), file);
    returns.frames.push(frame);
    try {
      Object text = super.doEvaluate(argMap, kwargMap, varArgs);
      return frame.returned ? frame.value : text;
    } finally {
      returns.frames.pop();
    }
  }
}
