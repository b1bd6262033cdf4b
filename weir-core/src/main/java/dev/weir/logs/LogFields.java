package dev.weir.logs;

import org.slf4j.MDC;

/**
 * The names of the fields of Weir's JSON logs, the same in the server's log ({@code --log-format
 * json}) and in the task log files, and the MDC keys the engine sets while a task attempt runs, so
 * a library's log line inside a task carries the run, flow, task and attempt too.
 */
public final class LogFields {
  public static final String TIMESTAMP = "@timestamp";
  public static final String LEVEL = "level";
  public static final String LOGGER = "logger";
  public static final String THREAD = "thread";
  public static final String MESSAGE = "message";
  public static final String STACK_TRACE = "stack_trace";
  public static final String RUN_ID = "run_id";
  public static final String FLOW = "flow";
  public static final String TASK = "task";
  public static final String ATTEMPT = "attempt";

  /** The {@code logger} of task log lines, which come from a task rather than a class. */
  public static final String TASK_LOGGER = "weir.task";

  private LogFields() {}

  /** {@code namespace.id}, the value of {@link #FLOW}. */
  public static String flow(String namespace, String flowId) {
    return namespace + "." + flowId;
  }

  /** Sets the attempt's MDC keys on this thread until closed. */
  public static Scope attempt(String runId, String flow, String task, int attempt) {
    MDC.put(RUN_ID, runId);
    MDC.put(FLOW, flow);
    MDC.put(TASK, task);
    MDC.put(ATTEMPT, Integer.toString(attempt));
    return new Scope();
  }

  /** Removes the attempt's MDC keys. */
  public static final class Scope implements AutoCloseable {
    private Scope() {}

    @Override
    public void close() {
      MDC.remove(RUN_ID);
      MDC.remove(FLOW);
      MDC.remove(TASK);
      MDC.remove(ATTEMPT);
    }
  }
}
