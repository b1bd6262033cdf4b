package dev.weir.tasks.queue.kafka;

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

/** Produces to a Kafka topic; each batch waits for the brokers' acks. */
public final class KafkaPublishTask implements TaskType<KafkaPublishTask.Config> {
  /**
   * @param key the record key: it picks the partition, so one key's records stay in order
   */
  public record Config(
      @Required(example = "events") String connection,
      @Required(example = "orders") String topic,
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
    return "kafka.publish";
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
        ctx, c.connection(), ConnectionConfig.KAFKA, Destination.of(c.topic()), c.payload(), false);
  }
}
