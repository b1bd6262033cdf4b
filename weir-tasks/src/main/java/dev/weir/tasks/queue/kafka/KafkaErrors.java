package dev.weir.tasks.queue.kafka;

import dev.weir.WeirException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Turns the Kafka client's exceptions into messages that say which connection, what failed and what
 * to check. Every message is masked with the connection's secrets, and the client's exception is
 * kept as the cause only when none of its messages holds a secret (a cause's message is printed
 * with the stack trace).
 */
final class KafkaErrors {
  private static final String CHECK_REACHABLE =
      "; check that Kafka is running and reachable at bootstrapServers, and the security"
          + " settings (security.protocol, sasl.*) in properties";

  private final KafkaSettings settings;

  KafkaErrors(KafkaSettings settings) {
    this.settings = settings;
  }

  /** {@code doing} says what was attempted, e.g. "publishing to topic 'orders'". */
  WeirException explain(String doing, Throwable error) {
    Throwable e = unwrap(error);
    return failed(doing, detail(e), e);
  }

  /** For a client that could not be made: the properties are what to check. */
  WeirException cannotOpen(String doing, Throwable error) {
    Throwable e = unwrap(error);
    return failed(doing, "opening a client with the connection's properties: " + detail(e), e);
  }

  /** A topic check that got no answer: most often the cluster is down or not reachable. */
  WeirException unreachable(String doing, Throwable error) {
    Throwable e = unwrap(error);
    String message = e.getMessage() == null ? "" : ": " + e.getMessage();
    return failed(
        doing,
        "no answer from the cluster within "
            + settings.apiTimeoutMs()
            + " ms (default.api.timeout.ms"
            + message
            + ")"
            + CHECK_REACHABLE,
        e);
  }

  WeirException unknownTopic(String topic) {
    return new WeirException(
        settings.mask(
            prefix()
                + "topic '"
                + topic
                + "' does not exist; create it (kafka-topics.sh --create --topic "
                + topic
                + ") or correct the name"));
  }

  private WeirException failed(String doing, String detail, Throwable cause) {
    String text = settings.mask(prefix() + doing + " failed: " + detail);
    return chainHasSecret(cause) ? new WeirException(text) : new WeirException(text, cause);
  }

  private String prefix() {
    return "kafka connection '"
        + settings.connection()
        + "' ("
        + settings.bootstrapServers()
        + "): ";
  }

  private String detail(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof TimeoutException) {
      return "no answer from the cluster in time (" + message + ")" + CHECK_REACHABLE;
    }
    if (e instanceof UnknownTopicOrPartitionException) {
      return "the topic does not exist (" + message + "); create it or correct the name";
    }
    if (e instanceof AuthenticationException) {
      return "authentication failed ("
          + message
          + "); check sasl.mechanism and sasl.jaas.config (or the ssl.* settings) in properties";
    }
    if (e instanceof AuthorizationException) {
      return "not authorized (" + message + "); the principal needs an ACL for this";
    }
    if (e instanceof RecordTooLargeException) {
      return "a message is larger than the broker or the producer accepts ("
          + message
          + "); raise max.request.size in properties and the topic's max.message.bytes";
    }
    if (e instanceof KafkaException) {
      return message;
    }
    return e.getClass().getSimpleName() + ": " + message;
  }

  private static Throwable unwrap(Throwable e) {
    while ((e instanceof ExecutionException || e.getClass() == KafkaException.class)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private boolean chainHasSecret(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && !m.equals(settings.mask(m))) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
