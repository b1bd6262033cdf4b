package dev.weir.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.task.Dataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;

/** Datasets and outputs to and from the JSON kept in the state store. */
final class DatasetCodec {
  static final ObjectMapper JSON =
      new ObjectMapper()
          .findAndRegisterModules()
          .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private DatasetCodec() {}

  static String encode(Dataset d) {
    if (d == null) {
      return null;
    }
    ObjectNode o = JSON.createObjectNode();
    o.put("taskId", d.taskId());
    o.put("path", d.path().toString());
    o.put("rowCount", d.rowCount());
    o.put("checksum", d.checksum());
    ArrayNode cols = o.putArray("schema");
    d.schema().forEach(c -> cols.addObject().put("name", c.name()).put("type", c.type()));
    return o.toString();
  }

  static Dataset decode(String json) {
    if (json == null) {
      return null;
    }
    try {
      JsonNode o = JSON.readTree(json);
      var cols = new ArrayList<Dataset.Column>();
      o.get("schema")
          .forEach(
              c -> cols.add(new Dataset.Column(c.get("name").asText(), c.get("type").asText())));
      return new Dataset(
          o.get("taskId").asText(),
          Path.of(o.get("path").asText()),
          cols,
          o.get("rowCount").asLong(),
          o.get("checksum").asText());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt dataset record in the state store: " + json, e);
    }
  }

  static String encodeOutputs(Map<String, Object> outputs) {
    if (outputs == null || outputs.isEmpty()) {
      return null;
    }
    try {
      return JSON.writeValueAsString(outputs);
    } catch (JsonProcessingException e) {
      return "{\"error\":\"outputs are not JSON-serialisable: " + e.getOriginalMessage() + "\"}";
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> decodeOutputs(String json) {
    if (json == null) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, Map.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt outputs in the state store: " + json, e);
    }
  }
}
