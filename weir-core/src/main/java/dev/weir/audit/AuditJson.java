package dev.weir.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.weir.task.DatasetRef;
import java.util.ArrayList;
import java.util.List;

/** Dataset lists of the audit trail to and from the JSON kept in the store. */
public final class AuditJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditJson() {}

  public static String encode(List<DatasetRef> refs) {
    ArrayNode a = JSON.createArrayNode();
    for (DatasetRef r : refs) {
      var o = a.addObject().put("namespace", r.namespace()).put("name", r.name());
      if (r.rows() >= 0) {
        o.put("rows", r.rows());
      }
      if (r.bytes() >= 0) {
        o.put("bytes", r.bytes());
      }
    }
    return a.toString();
  }

  public static List<DatasetRef> decode(String json) {
    if (json == null || json.isBlank()) {
      return List.of();
    }
    try {
      var out = new ArrayList<DatasetRef>();
      for (JsonNode n : JSON.readTree(json)) {
        out.add(
            new DatasetRef(
                n.path("namespace").asText(),
                n.path("name").asText(),
                n.path("rows").asLong(-1),
                n.path("bytes").asLong(-1)));
      }
      return out;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("bad audit dataset list in the store: " + json, e);
    }
  }
}
