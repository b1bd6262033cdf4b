package dev.weir.tasks.models;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpreterFactory;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import java.util.function.ObjIntConsumer;

/**
 * A Jinjava interpreter that reports each name it looks up and does not find, with the line: dbt
 * fails on an undefined name, Jinjava renders it as nothing. (Jinjava's own strict mode also fails
 * on {@code none} and on {@code {% do xs.append(x) %}}, so {@link UndefinedNames} decides which of
 * the reported names are really undefined.)
 */
final class StrictInterpreter extends JinjavaInterpreter {
  /** Makes Jinjava create these interpreters. */
  static final InterpreterFactory FACTORY =
      new InterpreterFactory() {
        @Override
        public JinjavaInterpreter newInstance(JinjavaInterpreter orig) {
          return new StrictInterpreter(orig);
        }

        @Override
        public JinjavaInterpreter newInstance(
            Jinjava application, Context context, JinjavaConfig renderConfig) {
          return new StrictInterpreter(application, context, renderConfig);
        }
      };

  private ObjIntConsumer<String> onUndefined = (name, line) -> {};

  private StrictInterpreter(Jinjava application, Context context, JinjavaConfig config) {
    super(application, context, config);
  }

  private StrictInterpreter(JinjavaInterpreter orig) {
    super(orig);
    if (orig instanceof StrictInterpreter s) {
      this.onUndefined = s.onUndefined;
    }
  }

  void onUndefined(ObjIntConsumer<String> listener) {
    this.onUndefined = listener;
  }

  @Override
  public Object retraceVariable(String variable, int lineNumber, int startPosition) {
    Object value = super.retraceVariable(variable, lineNumber, startPosition);
    if (value == null) {
      onUndefined.accept(variable, lineNumber);
    }
    return value;
  }
}
