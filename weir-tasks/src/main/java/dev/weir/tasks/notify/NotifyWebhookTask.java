package dev.weir.tasks.notify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Posts JSON to any URL, signed as Standard Webhooks does ({@link WebhookSignature}) when a signing
 * secret is given.
 */
public final class NotifyWebhookTask implements TaskType<NotifyWebhookTask.Config> {
  /**
   * @param body the JSON to send; without it, the run's flow and id and {@code message}
   */
  public record Config(
      @Required(example = "https://hooks.example.com/etl") String url,
      String message,
      JsonNode body,
      String signingSecret,
      Map<String, String> headers) {}

  @Override
  public String name() {
    return "notify.webhook";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> validate(Config c) {
    return c.message() == null && c.body() == null
        ? List.of("give a `message` or a `body`, e.g. `message: \"orders loaded\"`")
        : List.of();
  }

  @Override
  public TaskResult run(Config c, TaskContext ctx) throws InterruptedException {
    String body =
        c.body() != null
            ? c.body().toString()
            : Payloads.webhook(Notices.alert(ctx, c.message())).toString();
    var headers = new LinkedHashMap<String, String>();
    if (c.headers() != null) {
      headers.putAll(c.headers());
    }
    try {
      // One id for every attempt of this task in this run: a receiver drops the duplicate.
      String id = WebhookSignature.messageId(ctx.runId(), ctx.taskId());
      headers.putAll(Delivery.webhookHeaders(c.signingSecret(), id, body, ctx.clock().instant()));
      int status = Delivery.post(c.url(), body, headers, Notices.TIMEOUT);
      ctx.logger().info("webhook posted (HTTP " + status + ")");
      return TaskResult.of(Map.of("status", status));
    } catch (Delivery.DeliveryException e) {
      throw Notices.failed(ctx, "webhook", e);
    }
  }
}
