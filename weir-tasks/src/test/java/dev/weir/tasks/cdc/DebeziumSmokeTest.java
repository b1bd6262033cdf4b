package dev.weir.tasks.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.RestartablePostgres;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.sql.DriverManager;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Debezium's embedded engine and its PostgreSQL connector run on Weir's classpath. */
class DebeziumSmokeTest {
  @Test
  void debezium_streams_an_insert_from_a_logical_postgres() throws Exception {
    try (var pg = RestartablePostgres.startLogical()) {
      try (var c = DriverManager.getConnection(pg.url())) {
        c.createStatement().execute("CREATE TABLE t (id int PRIMARY KEY, v text)");
      }
      var props = new Properties();
      props.setProperty("name", "smoke");
      props.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
      props.setProperty(
          "offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
      props.setProperty("offset.flush.interval.ms", "0");
      props.setProperty("topic.prefix", "smoke");
      props.setProperty("database.hostname", "127.0.0.1");
      props.setProperty("database.port", String.valueOf(pg.port()));
      props.setProperty("database.user", "postgres");
      props.setProperty("database.password", "");
      props.setProperty("database.dbname", "postgres");
      props.setProperty("plugin.name", "pgoutput");
      props.setProperty("slot.name", "weir_smoke");
      props.setProperty("publication.name", "weir_smoke");
      props.setProperty("publication.autocreate.mode", "filtered");
      props.setProperty("table.include.list", "public.t");
      props.setProperty("snapshot.mode", "no_data");
      List<SourceRecord> seen = new CopyOnWriteArrayList<>();
      DebeziumEngine<RecordChangeEvent<SourceRecord>> engine =
          DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
              .using(props)
              .notifying((records, committer) -> {
                for (var r : records) {
                  seen.add(r.record());
                  committer.markProcessed(r);
                }
                committer.markBatchFinished();
              })
              .build();
      {
        var executor = Executors.newSingleThreadExecutor();
        executor.execute(engine);
        // the slot exists once streaming started; changes made after that are seen
        Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> slotActive(pg.url()));
        try (var c = DriverManager.getConnection(pg.url())) {
          c.createStatement().execute("INSERT INTO t VALUES (1, 'one')");
        }
        Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> !seen.isEmpty());
        Struct after = ((Struct) seen.getFirst().value()).getStruct("after");
        assertThat(after.getString("v")).isEqualTo("one");
        engine.close();
        executor.shutdown();
        assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      }
    }
  }

  private static boolean slotActive(String url) throws Exception {
    try (var c = DriverManager.getConnection(url);
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT active FROM pg_replication_slots WHERE slot_name='weir_smoke'")) {
      return rs.next() && rs.getBoolean(1);
    }
  }
}
