package dev.weir.tasks.notify;

import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import java.util.List;
import java.util.Map;

/** Sends an e-mail through an SMTP server. */
public final class NotifyEmailTask implements TaskType<NotifyEmailTask.Config> {
  public record Config(
      @Required(example = "[oncall@example.com]") List<String> to,
      @Required(example = "\"orders loaded\"") String subject,
      @Required(example = "\"{{ outputs.load.rows }} rows loaded\"") String body,
      @Required(example = "{host: mail.example.com, port: 587, from: weir@example.com}")
          Smtp smtp) {}

  @Override
  public String name() {
    return "notify.email";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> validate(Config c) {
    return c.to() == null || c.to().isEmpty() || c.to().stream().anyMatch(t -> !t.contains("@"))
        ? List.of("to must list e-mail addresses, e.g. `to: [oncall@example.com]`, got " + c.to())
        : List.of();
  }

  @Override
  public TaskResult run(Config c, TaskContext ctx) {
    try {
      c.smtp().send(c.to(), ctx.mask(c.subject()), ctx.mask(c.body()));
      ctx.logger().info("e-mail sent to " + String.join(", ", c.to()));
      return TaskResult.of(Map.of("sent", c.to().size()));
    } catch (Delivery.DeliveryException e) {
      throw Notices.failed(ctx, "e-mail", e);
    }
  }
}
