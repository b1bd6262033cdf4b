package dev.weir.tasks.queue.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.config.ConnectionConfig;
import dev.weir.task.Required;
import dev.weir.tasks.queue.Destination;
import dev.weir.tasks.queue.PublishTask;
import dev.weir.tasks.queue.Publishing;
import java.util.Map;

/** Produces to a Kafka topic; each batch waits for the brokers' acks. */
public final class KafkaPublishTask extends PublishTask<KafkaPublishTask.Config> {
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
      String keyColumn)
      implements PublishTask.Config {
    @Override
    public Publishing.Payload payload() {
      return new Publishing.Payload(message, key, headers, dataset, keyColumn);
    }
  }

  // no made-up keys: a Kafka key picks the partition
  public KafkaPublishTask() {
    super(ConnectionConfig.KAFKA, Config.class, true, false);
  }

  @Override
  protected Destination destination(Config c) {
    return Destination.of(c.topic());
  }
}
