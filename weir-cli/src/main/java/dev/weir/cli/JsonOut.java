package dev.weir.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.store.RunRecord;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;

/**
 * What {@code --json} prints: one compact JSON document on one line, with fixed keys (documented in
 * docs/cli.md), so scripts can pipe it to {@code jq}. Client commands print the server's answer as
 * it is: its shape is the REST API's, documented in openapi.json.
 */
final class JsonOut {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonOut() {}

  static void print(PrintWriter out, JsonNode node) {
    out.println(node.toString());
    out.flush();
  }

  /** A run without its tasks: the keys of a run in {@code GET /api/v1/runs}, plus durationMs. */
  static ObjectNode run(RunRecord r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", r.id());
    o.put("namespace", r.namespace());
    o.put("flow", r.flowId());
    o.put("revision", r.revision());
    o.put("state", r.state().name());
    o.put("trigger", r.trigger());
    o.put("logicalDate", text(r.logicalDate()));
    o.put("attempt", r.attempt());
    o.put("createdAt", text(r.createdAt()));
    o.put("startedAt", text(r.startedAt()));
    o.put("endedAt", text(r.endedAt()));
    if (r.startedAt() != null && r.endedAt() != null) {
      o.put("durationMs", Duration.between(r.startedAt(), r.endedAt()).toMillis());
    } else {
      o.putNull("durationMs");
    }
    o.put("error", r.error());
    return o;
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
