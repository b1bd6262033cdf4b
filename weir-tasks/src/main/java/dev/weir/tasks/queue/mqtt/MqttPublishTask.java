package dev.weir.tasks.queue.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.config.ConnectionConfig;
import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import dev.weir.tasks.queue.Destination;
import dev.weir.tasks.queue.Publishing;
import java.util.ArrayList;
import java.util.List;

/** Publishes to an MQTT topic at QoS 1 or 2, each message acknowledged by the broker. */
public final class MqttPublishTask implements TaskType<MqttPublishTask.Config> {
  /**
   * @param qos 1 (the default, at least once) or 2 (exactly once between client and broker)
   */
  public record Config(
      @Required(example = "events") String connection,
      @Required(example = "plant/line1/orders") String topic,
      Integer qos,
      JsonNode message,
      String dataset) {
    Publishing.Payload payload() {
      return new Publishing.Payload(message, null, null, dataset, null);
    }

    int qosOrDefault() {
      return qos == null ? 1 : qos;
    }
  }

  @Override
  public String name() {
    return "mqtt.publish";
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
    var out = new ArrayList<>(Publishing.problems(c.payload(), false));
    if (c.qosOrDefault() != 1 && c.qosOrDefault() != 2) {
      out.add(
          "qos "
              + c.qos()
              + " is not confirmed by the broker; use `qos: 1` (at least once) or `qos: 2`");
    }
    if (c.topic() != null && (c.topic().contains("+") || c.topic().contains("#"))) {
      out.add(
          "topic '"
              + c.topic()
              + "' has a wildcard (+ or #), which only subscriptions may use; name one topic,"
              + " e.g. plant/line1/orders");
    }
    return out;
  }

  @Override
  public TaskResult run(Config c, TaskContext ctx) throws InterruptedException {
    return Publishing.publish(
        ctx,
        c.connection(),
        ConnectionConfig.MQTT,
        new Destination(c.topic(), null, c.qosOrDefault()),
        c.payload(),
        false);
  }
}
