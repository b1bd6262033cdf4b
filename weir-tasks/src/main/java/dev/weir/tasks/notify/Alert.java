package dev.weir.tasks.notify;

import java.time.Instant;

/**
 * What an alert says, whatever channel carries it. Every text in it is already masked.
 *
 * @param event {@code failed}, {@code recovered}, … or {@code message} for a notify task
 * @param runState the run's state when the alert was raised (RUNNING for an SLA miss)
 * @param failedTask the id of the task that failed, null when none
 * @param error that task's (or the run's) error, null when none
 * @param detail more words about the event (which SLA, which check), null when none
 * @param link where to see the run, null when the server has no base URL
 */
public record Alert(
    String event,
    String namespace,
    String flowId,
    String runId,
    String runState,
    String failedTask,
    String error,
    String detail,
    String link,
    Instant at) {

  public String flow() {
    return namespace + "." + flowId;
  }

  /** One line that says what happened: {@code shop.orders failed at task load}. */
  public String title() {
    return switch (event) {
      case "failed" -> flow() + " failed" + (failedTask == null ? "" : " at task " + failedTask);
      case "retriesExhausted" -> flow() + ": task " + failedTask + " failed its last attempt";
      case "slaMissed" -> flow() + " missed its SLA";
      case "recovered" -> flow() + " recovered";
      case "qualityWarn" -> flow() + ": data quality warning";
      default -> detail == null ? flow() : detail;
    };
  }

  /** The alert as plain text lines, for e-mail and logs. */
  public String text() {
    var sb = new StringBuilder(title()).append("\n\n");
    sb.append("Flow:  ").append(flow()).append('\n');
    sb.append("Run:   ").append(runId).append(" (").append(runState).append(")\n");
    if (failedTask != null) {
      sb.append("Task:  ").append(failedTask).append('\n');
    }
    if (error != null) {
      sb.append("Error: ").append(error).append('\n');
    }
    if (detail != null && !"message".equals(event)) {
      sb.append("Why:   ").append(detail).append('\n');
    }
    if (link != null) {
      sb.append("Link:  ").append(link).append('\n');
    }
    return sb.toString();
  }
}
