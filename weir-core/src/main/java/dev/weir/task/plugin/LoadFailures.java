package dev.weir.task.plugin;

import java.lang.reflect.InvocationTargetException;
import java.util.ServiceConfigurationError;

/** Plain words for why a plugin's class did not load, and what fixes it. */
final class LoadFailures {
  private static final String PREFIX = "dev.weir.task.TaskType: ";

  private LoadFailures() {}

  static String describe(Throwable e) {
    if (e instanceof ServiceConfigurationError) {
      String text = e.getMessage() == null ? "" : e.getMessage();
      text = text.startsWith(PREFIX) ? text.substring(PREFIX.length()) : text;
      Throwable cause = e.getCause();
      return cause == null ? text : text + ": " + describe(cause);
    }
    if (e instanceof InvocationTargetException && e.getCause() != null) {
      return describe(e.getCause());
    }
    if (e instanceof UnsupportedClassVersionError) {
      return "compiled for a newer Java than this one (Java "
          + Runtime.version().feature()
          + "): "
          + e.getMessage()
          + "; build the plugin with --release "
          + Runtime.version().feature()
          + " or run Weir on a newer Java";
    }
    if (e instanceof NoClassDefFoundError) {
      return "a class it needs is missing: "
          + String.valueOf(e.getMessage()).replace('/', '.')
          + " (put the plugin's dependencies inside its jar, e.g. with the Maven Shade plugin)";
    }
    if (e instanceof ExceptionInInitializerError && e.getCause() != null) {
      return "its static initialiser failed: " + e.getCause();
    }
    return e.toString();
  }
}
