package dev.weir.tasks.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.config.ConnectionConfig;
import dev.weir.task.Dataset;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.duck.Sql;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every {@code <broker>.publish} task does once it knows its destination: one message, or one
 * JSON message per row of a staged dataset, sent in batches that the broker confirms before the
 * next one goes. A failure fails the attempt; a retry sends everything again (at least once).
 */
public final class Publishing {
  /** Messages sent before waiting for the broker's confirms. */
  static final int BATCH = 500;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What to send, as the tasks' properties give it.
   *
   * @param message one body: text as it is, anything else as its JSON
   * @param dataset a task id whose dataset's rows become one JSON message each
   */
  public record Payload(
      JsonNode message,
      String key,
      Map<String, String> headers,
      String dataset,
      String keyColumn) {}

  private Publishing() {}

  /** The problems of a payload, for a task's {@code validate}. */
  public static List<String> problems(Payload p, boolean keyed) {
    var out = new ArrayList<String>();
    if ((p.message() == null) == (p.dataset() == null)) {
      out.add(
          "give either `message` (one message, e.g. `message: \"{{ inputs.order }}\"`) or"
              + " `dataset` (one JSON message per row, e.g. `dataset: shape`)");
    }
    if (p.keyColumn() != null && p.dataset() == null) {
      out.add("keyColumn names a column of `dataset`; with `message` use `key:` instead");
    }
    if (p.key() != null && p.dataset() != null) {
      out.add(
          "key goes with `message`; with `dataset` name the key's column, e.g. `keyColumn: id`");
    }
    if (!keyed && (p.key() != null || p.keyColumn() != null)) {
      out.add("MQTT messages carry no key; remove key/keyColumn (put it in the body instead)");
    }
    return out;
  }

  public static List<String> datasetInputs(Payload p) {
    return p.dataset() == null ? List.of() : List.of(p.dataset());
  }

  /**
   * Publishes the payload to {@code to} on the named connection, which must be of {@code type}.
   *
   * @param stableIds whether a message without a key gets one made of the run, the task and its
   *     position ({@code <run>/<task>/<n>}), the same at every attempt: RabbitMQ's message id and
   *     NATS's Nats-Msg-Id, so that a retry's duplicates are recognized. Not for Kafka, whose key
   *     picks the partition.
   */
  public static TaskResult publish(
      TaskContext ctx,
      String connectionName,
      String type,
      Destination to,
      Payload p,
      boolean stableIds)
      throws InterruptedException {
    ConnectionConfig connection = ctx.connection(connectionName);
    if (!type.equals(connection.type())) {
      throw TaskFailedException.permanent(
          "connection '"
              + connectionName
              + "' is a "
              + connection.type()
              + " connection; a "
              + type
              + ".publish task needs a `type: "
              + type
              + "` connection in weir.yaml");
    }
    long published = 0;
    try (Broker broker = Brokers.open(connection)) {
      String idPrefix = stableIds ? ctx.runId() + "/" + ctx.taskId() + "/" : null;
      if (p.message() != null) {
        broker.publish(to, List.of(one(p, idPrefix)));
        published = 1;
      } else {
        published = rows(ctx, broker, to, p, idPrefix);
      }
    } catch (TaskFailedException e) {
      throw e;
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      // the broker refused or went away: a retry sends everything again
      throw TaskFailedException.connection(
          ctx.mask(
              (e instanceof BrokerException ? "" : type + ": ")
                  + e.getMessage()
                  + " (nothing is known about messages of the unconfirmed batch; a retry sends"
                  + " them again)"),
          null);
    }
    ctx.logger().info("published " + published + " message(s) to " + describe(to));
    return TaskResult.of(Map.of("published", published));
  }

  private static String describe(Destination to) {
    return to.routingKey() == null
        ? to.name()
        : (to.name().isEmpty() ? "(default exchange)" : to.name()) + " / " + to.routingKey();
  }

  private static OutgoingMessage one(Payload p, String idPrefix) {
    JsonNode m = p.message();
    String body = m.isTextual() ? m.asText() : m.toString();
    String key = p.key() != null ? p.key() : idPrefix == null ? null : idPrefix + 0;
    return new OutgoingMessage(key, body.getBytes(StandardCharsets.UTF_8), p.headers());
  }

  private static long rows(
      TaskContext ctx, Broker broker, Destination to, Payload p, String idPrefix) throws Exception {
    Dataset dataset = ctx.dataset(p.dataset());
    String sql = "SELECT * FROM " + Sql.readParquet(dataset.path());
    long sent = 0;
    try (var c = DriverManager.getConnection("jdbc:duckdb:");
        var st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      var md = rs.getMetaData();
      int keyAt = 0;
      for (int i = 1; i <= md.getColumnCount(); i++) {
        if (md.getColumnLabel(i).equals(p.keyColumn())) {
          keyAt = i;
        }
      }
      if (p.keyColumn() != null && keyAt == 0) {
        var names = new ArrayList<String>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          names.add(md.getColumnLabel(i));
        }
        throw TaskFailedException.permanent(
            "keyColumn '"
                + p.keyColumn()
                + "' is not a column of task '"
                + p.dataset()
                + "''s dataset (columns: "
                + String.join(", ", names)
                + ")");
      }
      var batch = new ArrayList<OutgoingMessage>();
      while (rs.next()) {
        var row = new LinkedHashMap<String, Object>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.put(md.getColumnLabel(i), value(rs.getObject(i)));
        }
        Object key = keyAt == 0 ? null : rs.getObject(keyAt);
        String id =
            key != null
                ? key.toString()
                : idPrefix == null ? null : idPrefix + (sent + batch.size());
        batch.add(new OutgoingMessage(id, JSON.writeValueAsBytes(row), p.headers()));
        if (batch.size() == BATCH) {
          broker.publish(to, batch);
          sent += batch.size();
          batch.clear();
          if (ctx.isCancelled()) {
            throw new InterruptedException("cancelled after " + sent + " message(s)");
          }
        }
      }
      if (!batch.isEmpty()) {
        broker.publish(to, batch);
        sent += batch.size();
      }
    }
    return sent;
  }

  // numbers, text and booleans as they are; dates, times and other values as their text
  private static Object value(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Number) {
      return v instanceof Number n
              && !(n instanceof Long
                  || n instanceof Integer
                  || n instanceof Double
                  || n instanceof java.math.BigDecimal)
          ? n.toString()
          : v;
    }
    return v.toString();
  }
}
