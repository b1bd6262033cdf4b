package dev.weir.tasks.queue.kafka;

import dev.weir.WeirException;
import dev.weir.config.ConnectionConfig;
import dev.weir.expr.Masker;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The client configurations of one {@code kafka} connection: Weir's defaults, then the connection's
 * {@code properties} (security settings, tuning), then the few settings Weir's guarantees rest on,
 * which a connection cannot turn off.
 */
final class KafkaSettings {
  /**
   * How long a client call may wait for the cluster. Kafka's own defaults wait 60 s (metadata) and
   * up to 2 minutes (delivery); a trigger or a task would look hung meanwhile.
   */
  static final int DEFAULT_TIMEOUT_MS = 10_000;

  private static final Pattern SECRET_KEY =
      Pattern.compile("password|secret|jaas|token|credential|\\.key$", Pattern.CASE_INSENSITIVE);

  /** password="..." inside a JAAS line, so the password alone is masked wherever it shows. */
  private static final Pattern JAAS_OPTION =
      Pattern.compile("(?i)(?:password|secret|token)\\s*=\\s*\"([^\"]*)\"");

  private final String connection;
  private final String bootstrapServers;
  private final Map<String, String> properties;
  private final Masker masker = new Masker();

  KafkaSettings(ConnectionConfig config) {
    this.connection = config.name();
    this.bootstrapServers = config.setting("bootstrapServers", null);
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new WeirException(
          "connections."
              + connection
              + ": a kafka connection needs bootstrapServers, e.g. `bootstrapServers:"
              + " 127.0.0.1:9092`");
    }
    this.properties = config.properties();
    properties.forEach((key, value) -> {
      if (isSecret(key)) {
        masker.register(value);
        if (value != null) {
          Matcher m = JAAS_OPTION.matcher(value);
          while (m.find()) {
            masker.register(m.group(1));
          }
        }
      }
    });
    if (config.password() != null) {
      masker.register(config.password());
    }
  }

  static boolean isSecret(String property) {
    return SECRET_KEY.matcher(property.toLowerCase(Locale.ROOT)).find();
  }

  String connection() {
    return connection;
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  /** Masks every secret of the connection's properties in {@code text}. */
  String mask(String text) {
    return masker.mask(text);
  }

  Properties producer() {
    Map<String, Object> defaults = common();
    // Kafka refuses a delivery timeout below linger.ms + request.timeout.ms: follow those
    defaults.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) defaultDeliveryTimeoutMs());
    defaults.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, DEFAULT_TIMEOUT_MS);
    defaults.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    Map<String, Object> forced = new HashMap<>();
    // "confirmed" means written to every in-sync replica, and a retried send is not written twice
    forced.put(ProducerConfig.ACKS_CONFIG, "all");
    forced.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    forced.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    forced.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return merge(defaults, forced);
  }

  Properties consumer(String group) {
    Map<String, Object> defaults = common();
    defaults.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    // A consumer that died without leaving (Weir killed, or closed while the broker was down)
    // holds its partitions until its session expires; Kafka's 45 s kept a restarted trigger idle
    // that long. 10 s, as every other wait here; the broker's minimum is 6 s.
    defaults.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, DEFAULT_TIMEOUT_MS);
    Map<String, Object> forced = new HashMap<>();
    forced.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    // offsets move only when Weir acknowledges, after the runs are stored
    forced.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // a new group starts at the oldest message: none published before the trigger is dropped
    forced.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // a misspelt topic is an error, not a new empty topic
    forced.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    forced.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    forced.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return merge(defaults, forced);
  }

  Properties admin() {
    return merge(common(), Map.of());
  }

  /** What a client call (a topic check, a commit) waits at most: for error messages. */
  long apiTimeoutMs() {
    return millis(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, DEFAULT_TIMEOUT_MS);
  }

  /**
   * How long a publish may wait for its acknowledgements: each send's delivery timeout, after
   * waiting up to max.block.ms for the topic's metadata or buffer space.
   */
  long publishWaitMs() {
    return millis(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, defaultDeliveryTimeoutMs())
        + millis(ProducerConfig.MAX_BLOCK_MS_CONFIG, DEFAULT_TIMEOUT_MS)
        + 1_000;
  }

  private long defaultDeliveryTimeoutMs() {
    return Math.max(
        3L * DEFAULT_TIMEOUT_MS,
        millis(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, DEFAULT_TIMEOUT_MS)
            + millis(ProducerConfig.LINGER_MS_CONFIG, 5));
  }

  private long millis(String property, long fallback) {
    String v = properties.get(property);
    try {
      return v == null ? fallback : Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      return fallback; // the client itself refuses it, naming the property
    }
  }

  private Map<String, Object> common() {
    Map<String, Object> defaults = new HashMap<>();
    defaults.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    defaults.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, DEFAULT_TIMEOUT_MS);
    defaults.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, DEFAULT_TIMEOUT_MS);
    // reconnect quickly after a broker restart, but do not hammer a broker that is down
    defaults.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
    return defaults;
  }

  private Properties merge(Map<String, Object> defaults, Map<String, Object> forced) {
    Properties p = new Properties();
    p.putAll(defaults);
    p.putAll(properties);
    p.putAll(forced);
    return p;
  }
}
