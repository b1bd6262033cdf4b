package dev.weir.tasks.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.task.TaskRegistry;
import dev.weir.tasks.TestContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishTaskTest {
  private final TaskRegistry registry = TaskRegistry.load();
  @TempDir Path dir;

  @Test
  void a_retried_publish_without_a_key_sends_the_same_message_ids_again() throws Exception {
    LocalBrokers.assumeRabbit();
    String queue = "weir-retry-" + UUID.randomUUID().toString().substring(0, 8);
    LocalBrokers.declareQueue(queue);
    var ctx = new TestContext(dir).connection(LocalBrokers.rabbit());
    String yaml = "connection: events\nroutingKey: " + queue + "\nmessage: '{\"n\": 1}'\n";
    try (var b = Brokers.open(LocalBrokers.rabbit());
        var s = b.subscribe(new Source(queue, null, null))) {
      ctx.run("announce", registry.get("rabbitmq.publish"), yaml);
      ctx.run("announce", registry.get("rabbitmq.publish"), yaml); // as the retry would
      var got = new ArrayList<IncomingMessage>();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (got.size() < 2 && System.nanoTime() < deadline) {
        got.addAll(s.poll(2, Duration.ofMillis(200)));
      }
      assertThat(got).hasSize(2);
      assertThat(got.get(0).id()).isEqualTo(got.get(1).id()).endsWith("/announce/0");
      s.ack(got);
    } finally {
      LocalBrokers.deleteQueue(queue);
    }
  }
}
