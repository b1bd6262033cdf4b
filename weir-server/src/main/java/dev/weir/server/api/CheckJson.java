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
    return Json.MAPPER.valueToTree(c.toMap(masker::mask));
  }
}
