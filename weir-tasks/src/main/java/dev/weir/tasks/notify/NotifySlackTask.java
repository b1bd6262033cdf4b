package dev.weir.tasks.notify;

import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import java.util.Map;

/** Posts a message to a Slack incoming webhook. */
public final class NotifySlackTask implements TaskType<NotifySlackTask.Config> {
  /**
   * @param webhook the incoming-webhook URL, best kept in a secret
   */
  public record Config(
      @Required(example = "\"{{ secret('SLACK_URL') }}\"") String webhook,
      @Required(example = "\"loaded {{ outputs.load.rows }} rows\"") String message) {}

  @Override
  public String name() {
    return "notify.slack";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public TaskResult run(Config c, TaskContext ctx) throws InterruptedException {
    Alert alert = Notices.alert(ctx, c.message());
    String body = Payloads.slack(alert, alert.detail()).toString();
    try {
      int status = Delivery.post(c.webhook(), body, Map.of(), Notices.TIMEOUT);
      ctx.logger().info("Slack message posted (HTTP " + status + ")");
      return TaskResult.of(Map.of("status", status));
    } catch (Delivery.DeliveryException e) {
      throw Notices.failed(ctx, "Slack", e);
    }
  }
}
