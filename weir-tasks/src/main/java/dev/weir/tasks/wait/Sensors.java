package dev.weir.tasks.wait;

import dev.weir.flow.Durations;
import dev.weir.task.Reschedule;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What the three sensors share: the {@code interval} between checks, what counts as a true value,
 * and the "not yet" of a check, which frees the thread until the next one ({@link Reschedule}).
 */
final class Sensors {
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

  private Sensors() {}

  /** Adds a problem unless {@code interval} is absent or at least {@link #MIN_INTERVAL}. */
  static void checkInterval(Duration interval, List<String> problems) {
    if (interval != null && interval.compareTo(MIN_INTERVAL) < 0) {
      problems.add(
          "interval "
              + Durations.format(interval)
              + " is too short: a sensor checks at most once a second; use e.g. `interval: 30s`"
              + " (and the task's `timeout:` for how long to wait in all)");
    }
  }

  static Duration interval(Duration configured) {
    return configured == null ? DEFAULT_INTERVAL : configured;
  }

  /**
   * The check found its condition false: the thrown {@link Reschedule} has the engine check again
   * after {@code interval}; the engine logs {@code why} with the time of the next check.
   */
  static Reschedule notYet(TaskContext context, Duration interval, String why) {
    return Reschedule.in(interval, context.mask(why));
  }

  /**
   * The system behind the sensor could not be reached (a network error, a database restarting, a
   * gateway's 502/503/504): not a failure for a sensor, whose job is to wait, but a WARN line with
   * the reason, so that a wrong host shows; the wait is bounded by the task's {@code timeout:}.
   */
  static Reschedule unreachable(
      TaskContext context, Duration interval, String task, TaskFailedException e) {
    context.logger().warn(context.mask(e.getMessage()));
    return Reschedule.in(interval, task + ": could not check (unreachable, see the warning)");
  }

  /**
   * Whether a value counts as true: {@code true}; a number other than zero; text other than empty,
   * {@code false} or {@code 0} (case and surrounding blanks ignored); anything else that is not
   * null (a date, a timestamp). Null is false.
   */
  static boolean truthy(Object value) {
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof BigDecimal d) {
      return d.signum() != 0;
    }
    if (value instanceof Number n) {
      return n.doubleValue() != 0 || n.longValue() != 0;
    }
    if (value instanceof CharSequence s) {
      String t = s.toString().strip().toLowerCase(Locale.ROOT);
      return !t.isEmpty() && !t.equals("false") && !t.equals("0");
    }
    return true;
  }

  /** A value fit for an output: booleans, numbers and text as they are, anything else as text. */
  static Object output(Object value) {
    if (value == null
        || value instanceof Boolean
        || value instanceof String
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Double
        || value instanceof BigDecimal) {
      return value;
    }
    if (value instanceof java.math.BigInteger b) {
      return new BigDecimal(b);
    }
    if (value instanceof Number n) {
      return n instanceof Float ? (Object) n.doubleValue() : (Object) n.longValue();
    }
    return value.toString();
  }
}
