package dev.weir.tasks.cdc;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import io.debezium.config.Configuration;
import io.debezium.connector.mysql.MySqlConnector;
import io.debezium.connector.mysql.MySqlConnectorTask;
import io.debezium.connector.mysql.MySqlOffsetContext;
import io.debezium.connector.mysql.MySqlPartition;
import io.debezium.pipeline.ChangeEventSourceCoordinator;
import java.lang.reflect.Field;
import org.apache.kafka.connect.connector.Task;

/**
 * Debezium's MySQL connector made to read MariaDB's binlog correctly: its binlog reader asks
 * MariaDB to send a transaction's start as the {@code BEGIN} statement MySQL writes, not as a
 * MariaDB GTID event it does not know.
 *
 * <p>Debezium 3 reads MariaDB with a connector of its own, which Maven Central does not serve here.
 * Its MySQL connector reads MariaDB's binlog, but knows a transaction starts only by a {@code
 * BEGIN}: without one, an offset inside a transaction names the end of its current rows event and
 * the rows to skip in the next, and a stream resumed there skips rows. A replica that tells MariaDB
 * it does not understand GTID events ({@code @mariadb_slave_capability} below 4) is sent {@code
 * BEGIN} in their place, as MariaDB does for old replicas.
 */
public final class MariaDbConnector extends MySqlConnector {
  /** MARIA_SLAVE_CAPABILITY_BINLOG_CHECKSUM: checksums, but no GTID events. */
  static final int WITHOUT_GTID_EVENTS = 3;

  @Override
  public Class<? extends Task> taskClass() {
    return ReplicaTask.class;
  }

  /** The MySQL connector's task, whose binlog client is set to be sent {@code BEGIN}. */
  public static final class ReplicaTask extends MySqlConnectorTask {
    @Override
    public ChangeEventSourceCoordinator<MySqlPartition, MySqlOffsetContext> start(
        Configuration config) {
      var coordinator = super.start(config);
      // the client is made inside start() and connects once the snapshot is done: set it before
      BinaryLogClient client = client(coordinator);
      client.setMariaDbSlaveCapability(WITHOUT_GTID_EVENTS);
      if (client.isConnected()) {
        // the coordinator's thread connected first (no snapshot to take): MariaDB may send GTID
        // events this stream cannot place; start again, which the engine does for this error
        throw new org.apache.kafka.connect.errors.RetriableException(
            "the binlog client connected to MariaDB before it was set to be sent BEGIN; starting"
                + " again");
      }
      return coordinator;
    }

    private static BinaryLogClient client(ChangeEventSourceCoordinator<?, ?> coordinator) {
      try {
        Field factoryField =
            ChangeEventSourceCoordinator.class.getDeclaredField("changeEventSourceFactory");
        factoryField.setAccessible(true);
        Object factory = factoryField.get(coordinator);
        Field clientField = factory.getClass().getDeclaredField("binaryLogClient");
        clientField.setAccessible(true);
        return (BinaryLogClient) clientField.get(factory);
      } catch (ReflectiveOperationException | RuntimeException e) {
        throw new IllegalStateException(
            "cannot reach the binlog client of Debezium's MySQL connector to read MariaDB (its"
                + " internals changed with the Debezium version?); a bug in Weir",
            e);
      }
    }
  }
}
