package dev.weir.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.store.RunRecord;
import java.io.PrintWriter;
import java.time.Duration;

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
    ObjectNode o = MAPPER.valueToTree(r.toMap(e -> e)); // the error is stored masked already
    var error = o.remove("error"); // durationMs goes before it
    o.put(
        "durationMs",
        r.startedAt() == null || r.endedAt() == null
            ? null
            : Duration.between(r.startedAt(), r.endedAt()).toMillis());
    o.set("error", error);
    return o;
  }
}
