package dev.weir.tasks.queue.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.config.ConnectionConfig;
import dev.weir.task.Required;
import dev.weir.tasks.queue.Destination;
import dev.weir.tasks.queue.PublishTask;
import dev.weir.tasks.queue.Publishing;
import java.util.ArrayList;
import java.util.List;

/** Publishes to an MQTT topic at QoS 1 or 2, each message acknowledged by the broker. */
public final class MqttPublishTask extends PublishTask<MqttPublishTask.Config> {
  /**
   * @param qos 1 (the default, at least once) or 2 (exactly once between client and broker)
   */
  public record Config(
      @Required(example = "events") String connection,
      @Required(example = "plant/line1/orders") String topic,
      Integer qos,
      JsonNode message,
      String dataset)
      implements PublishTask.Config {
    @Override
    public Publishing.Payload payload() {
      return new Publishing.Payload(message, null, null, dataset, null);
    }

    int qosOrDefault() {
      return qos == null ? 1 : qos;
    }
  }

  // MQTT 3.1.1 carries no key and no message id
  public MqttPublishTask() {
    super(ConnectionConfig.MQTT, Config.class, false, false);
  }

  @Override
  protected Destination destination(Config c) {
    return new Destination(c.topic(), null, c.qosOrDefault());
  }

  @Override
  protected List<String> ownProblems(Config c) {
    var out = new ArrayList<String>();
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
}
