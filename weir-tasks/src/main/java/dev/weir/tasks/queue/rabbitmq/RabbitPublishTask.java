package dev.weir.tasks.queue.rabbitmq;

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

/** Publishes to a RabbitMQ exchange, each batch confirmed by the broker. */
public final class RabbitPublishTask implements TaskType<RabbitPublishTask.Config> {
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
      String keyColumn) {
    Publishing.Payload payload() {
      return new Publishing.Payload(message, key, headers, dataset, keyColumn);
    }
  }

  @Override
  public String name() {
    return "rabbitmq.publish";
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
    var to = new Destination(c.exchange() == null ? "" : c.exchange(), c.routingKey(), 1);
    return Publishing.publish(
        ctx, c.connection(), ConnectionConfig.RABBITMQ, to, c.payload(), true);
  }
}
