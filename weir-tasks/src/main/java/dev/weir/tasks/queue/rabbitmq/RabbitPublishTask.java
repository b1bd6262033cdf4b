package dev.weir.tasks.queue.rabbitmq;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.config.ConnectionConfig;
import dev.weir.task.Required;
import dev.weir.tasks.queue.Destination;
import dev.weir.tasks.queue.PublishTask;
import dev.weir.tasks.queue.Publishing;
import java.util.Map;

/** Publishes to a RabbitMQ exchange, each batch confirmed by the broker. */
public final class RabbitPublishTask extends PublishTask<RabbitPublishTask.Config> {
  /**
   * @param exchange empty (the default) for the default exchange, which routes to the queue named
   *     by {@code routingKey}
   * @param key the AMQP message id (a queue trigger's default dedupe key)
   */
  public record Config(
      @Required(example = "events") String connection,
      String exchange,
      @Required(example = "orders") String routingKey,
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

  public RabbitPublishTask() {
    super(ConnectionConfig.RABBITMQ, Config.class, true, true);
  }

  @Override
  protected Destination destination(Config c) {
    return new Destination(c.exchange() == null ? "" : c.exchange(), c.routingKey(), 1);
  }
}
