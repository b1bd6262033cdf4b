package dev.weir.tasks.queue.nats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.config.ConnectionConfig;
import dev.weir.task.Required;
import dev.weir.tasks.queue.Destination;
import dev.weir.tasks.queue.PublishTask;
import dev.weir.tasks.queue.Publishing;
import java.util.Map;

/** Publishes to a NATS JetStream subject, each message acknowledged by the stream. */
public final class NatsPublishTask extends PublishTask<NatsPublishTask.Config> {
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
      String keyColumn)
      implements PublishTask.Config {
    @Override
    public Publishing.Payload payload() {
      return new Publishing.Payload(message, key, headers, dataset, keyColumn);
    }
  }

  public NatsPublishTask() {
    super(ConnectionConfig.NATS, Config.class, true, true);
  }

  @Override
  protected Destination destination(Config c) {
    return Destination.of(c.subject());
  }
}
