package dev.weir.tasks.queue.nats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.config.ConnectionConfig;
import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import dev.weir.tasks.queue.Destination;
import dev.weir.tasks.queue.Publishing;
import java.util.List;
import java.util.Map;

/** Publishes to a NATS JetStream subject, each message acknowledged by the stream. */
public final class NatsPublishTask implements TaskType<NatsPublishTask.Config> {
  /**
   * @param key sent as {@code Nats-Msg-Id}: the stream drops a second message with the same id
   *     within its duplicate window
   */
  public record Config(
      @Required(example = "events") String connection,
      @Required(example = "orders.created") String subject,
      JsonNode message,
      String key,
      Map<String, String> headers,
      String dataset,
      String keyColumn) {
    Publishing.Payload payload() {
      return new Publishing.Payload(message, key, headers, dataset, keyColumn);
    }
  }

  @Override
  public String name() {
    return "nats.publish";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> datasetInputs(Config c) {
    return Publishing.datasetInputs(c.payload());
  }

  @Override
  public List<String> validate(Config c) {
    return Publishing.problems(c.payload(), true);
  }

  @Override
  public TaskResult run(Config c, TaskContext ctx) throws InterruptedException {
    return Publishing.publish(
        ctx, c.connection(), ConnectionConfig.NATS, Destination.of(c.subject()), c.payload(), true);
  }
}
