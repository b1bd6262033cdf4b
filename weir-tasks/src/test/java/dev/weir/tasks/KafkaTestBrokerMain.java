package dev.weir.tasks;

/**
 * The main class of the child JVM that {@link KafkaTestBroker} starts: Kafka's own {@code
 * kafka.Kafka}, plus a watch on standard input. The test JVM holds the other end of that pipe, so
 * when it dies (even by kill -9, when no shutdown hook runs) the broker halts instead of living on
 * and holding its ports and memory. Loaded only in the child, whose classpath is Kafka's and this
 * class's; it must not touch any other Weir class.
 */
public final class KafkaTestBrokerMain {
  private KafkaTestBrokerMain() {}

  public static void main(String[] args) throws Exception {
    Thread watch =
        new Thread(
            () -> {
              try {
                while (System.in.read() != -1) {
                  // nothing is sent; read until the parent's end closes
                }
              } catch (java.io.IOException e) {
                // the pipe broke: the parent is gone as well
              }
              Runtime.getRuntime().halt(3);
            },
            "parent-watch");
    watch.setDaemon(true);
    watch.start();
    Class.forName("kafka.Kafka").getMethod("main", String[].class).invoke(null, (Object) args);
  }
}
