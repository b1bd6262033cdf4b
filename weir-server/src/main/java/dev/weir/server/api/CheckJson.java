package dev.weir.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.expr.Masker;
import dev.weir.store.CheckRecord;
import java.util.List;

/** A stored quality check result as the API shows it. */
final class CheckJson {
  private CheckJson() {}

  static ArrayNode array(List<CheckRecord> checks, Masker masker) {
    ArrayNode arr = Json.MAPPER.createArrayNode();
    checks.forEach(c -> arr.add(of(c, masker)));
    return arr;
  }

  static ObjectNode of(CheckRecord c, Masker masker) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("runId", c.runId());
    o.put("task", c.taskId());
    o.put("attempt", c.attempt());
    o.put("dataset", c.dataset());
    o.put("name", c.name());
    o.put("kind", c.kind());
    o.put("passed", c.passed());
    o.put("severity", c.severity());
    o.put("failingRows", c.failingRows());
    if (c.observed() == null) {
      o.putNull("observed");
    } else {
      o.put("observed", c.observed());
    }
    o.put("detail", masker.mask(c.detail()));
    o.put("checkedAt", c.checkedAt().toString());
    return o;
  }
}
