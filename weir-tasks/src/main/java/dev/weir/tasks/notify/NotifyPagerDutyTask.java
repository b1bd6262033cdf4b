package dev.weir.tasks.notify;

import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Triggers or resolves a PagerDuty incident through the Events API v2. */
public final class NotifyPagerDutyTask implements TaskType<NotifyPagerDutyTask.Config> {
  static final List<String> ACTIONS = List.of("trigger", "acknowledge", "resolve");
  static final List<String> SEVERITIES = List.of("critical", "error", "warning", "info");

  /**
   * @param dedupKey the incident's key; {@code weir/<namespace>/<flow>} when not given, the key the
   *     server's alerts use, so a task can resolve what an alert opened
   * @param url the Events API endpoint; PagerDuty's when not given
   */
  public record Config(
      @Required(example = "\"{{ secret('PD_KEY') }}\"") String routingKey,
      String action,
      String summary,
      String severity,
      String dedupKey,
      String url) {}

  @Override
  public String name() {
    return "notify.pagerduty";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> validate(Config c) {
    var out = new ArrayList<String>();
    if (c.action() != null && !ACTIONS.contains(c.action())) {
      out.add("action must be trigger, acknowledge or resolve, got '" + c.action() + "'");
    }
    if (c.severity() != null && !SEVERITIES.contains(c.severity())) {
      out.add("severity must be critical, error, warning or info, got '" + c.severity() + "'");
    }
    if (c.summary() == null && !"resolve".equals(c.action())) {
      out.add("a trigger needs a `summary`, e.g. `summary: \"orders are late\"`");
    }
    return out;
  }

  @Override
  public TaskResult run(Config c, TaskContext ctx) throws InterruptedException {
    String action = c.action() == null ? "trigger" : c.action();
    String key =
        c.dedupKey() == null ? Payloads.dedupKey(ctx.namespace(), ctx.flowId()) : c.dedupKey();
    String body =
        Payloads.pagerDuty(
                Notices.alert(ctx, c.summary()), c.routingKey(), action, key, c.severity())
            .toString();
    try {
      int status =
          Delivery.post(
              c.url() == null ? Payloads.PAGERDUTY_URL : c.url(), body, Map.of(), Notices.TIMEOUT);
      ctx.logger().info("PagerDuty " + action + " sent for " + key + " (HTTP " + status + ")");
      return TaskResult.of(Map.of("status", status, "dedupKey", key));
    } catch (Delivery.DeliveryException e) {
      throw Notices.failed(ctx, "PagerDuty", e);
    }
  }
}
