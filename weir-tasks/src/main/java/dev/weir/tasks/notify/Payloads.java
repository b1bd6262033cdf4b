package dev.weir.tasks.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON each channel expects for an {@link Alert}. */
public final class Payloads {
  static final ObjectMapper JSON = new ObjectMapper();

  /** PagerDuty's Events API v2 endpoint; tests and proxies point elsewhere. */
  public static final String PAGERDUTY_URL = "https://events.pagerduty.com/v2/enqueue";

  private Payloads() {}

  /** A Slack incoming-webhook message: {@code text} for notifications, blocks for the channel. */
  public static ObjectNode slack(Alert a, String message) {
    ObjectNode root = JSON.createObjectNode();
    String title = message == null ? a.title() : message;
    root.put("text", title + (a.link() == null ? "" : " <" + a.link() + "|open run>"));
    ArrayNode blocks = root.putArray("blocks");
    section(blocks).put("type", "mrkdwn").put("text", "*" + title + "*");
    ObjectNode fields = blocks.addObject().put("type", "section");
    ArrayNode f = fields.putArray("fields");
    field(f, "Flow", a.flow());
    field(f, "Run", a.runId() + " (" + a.runState() + ")");
    if (a.failedTask() != null) {
      field(f, "Failed task", a.failedTask());
    }
    if (a.error() != null) {
      section(blocks).put("type", "mrkdwn").put("text", "*Error*\n```" + a.error() + "```");
    }
    if (a.detail() != null && message == null) {
      section(blocks).put("type", "mrkdwn").put("text", a.detail());
    }
    if (a.link() != null) {
      section(blocks)
          .put("type", "mrkdwn")
          .put("text", "<" + a.link() + "|Open run " + a.runId() + ">");
    }
    return root;
  }

  private static ObjectNode section(ArrayNode blocks) {
    return blocks.addObject().put("type", "section").putObject("text");
  }

  private static void field(ArrayNode fields, String name, String value) {
    fields.addObject().put("type", "mrkdwn").put("text", "*" + name + "*\n" + value);
  }

  /** The generic webhook body. */
  public static ObjectNode webhook(Alert a) {
    ObjectNode root = JSON.createObjectNode();
    root.put("event", a.event());
    root.put("title", a.title());
    root.putObject("flow").put("namespace", a.namespace()).put("id", a.flowId());
    root.putObject("run").put("id", a.runId()).put("state", a.runState()).put("link", a.link());
    root.put("failedTask", a.failedTask());
    root.put("error", a.error());
    root.put("detail", a.detail());
    root.put("at", a.at().toString());
    return root;
  }

  /** The incident key of a flow: one open incident per flow, resolved by its recovery. */
  public static String dedupKey(String namespace, String flowId) {
    return "weir/" + namespace + "/" + flowId;
  }

  /**
   * A PagerDuty Events API v2 event.
   *
   * @param action {@code trigger} or {@code resolve}
   * @param severity critical, error, warning or info
   */
  public static ObjectNode pagerDuty(
      Alert a, String routingKey, String action, String dedupKey, String severity) {
    ObjectNode root = JSON.createObjectNode();
    root.put("routing_key", routingKey);
    root.put("event_action", action);
    root.put("dedup_key", dedupKey);
    if (!"resolve".equals(action)) {
      ObjectNode p = root.putObject("payload");
      p.put("summary", a.title());
      p.put("source", "weir/" + a.flow());
      p.put("severity", severity == null ? "error" : severity);
      p.put("timestamp", a.at().toString());
      ObjectNode details = p.putObject("custom_details");
      details.put("run", a.runId());
      details.put("state", a.runState());
      details.put("failedTask", a.failedTask());
      details.put("error", a.error());
      details.put("detail", a.detail());
      if (a.link() != null) {
        root.putArray("links").addObject().put("href", a.link()).put("text", "Run " + a.runId());
      }
    }
    return root;
  }
}
