package dev.weir.tasks.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Appends records to a newline-delimited JSON file as they arrive, flattened: nested objects become
 * columns joined with '_' ({@code {customer: {id: 7}}} → {@code customer_id: 7}), lists are kept as
 * JSON text, and a record that is not an object becomes a column named {@code value}.
 */
final class RecordWriter implements AutoCloseable {
  private final ObjectMapper json;
  private final BufferedWriter out;

  RecordWriter(Path file, ObjectMapper json) throws IOException {
    this.json = json;
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
  }

  /** Writes every element of {@code records} (an array); returns how many. */
  int write(JsonNode records) throws IOException {
    int n = 0;
    for (JsonNode record : records) {
      ObjectNode flat = JsonNodeFactory.instance.objectNode();
      if (record.isObject()) {
        flatten("", record, flat);
      } else {
        flat.set(
            "value",
            record.isArray() ? JsonNodeFactory.instance.textNode(record.toString()) : record);
      }
      try (JsonGenerator g = json.createGenerator(out)) {
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.writeTree(g, flat);
      }
      out.write('\n');
      n++;
    }
    return n;
  }

  static void flatten(String prefix, JsonNode object, ObjectNode into) {
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      String name = prefix.isEmpty() ? field.getKey() : prefix + "_" + field.getKey();
      JsonNode value = field.getValue();
      if (value.isObject()) {
        flatten(name, value, into);
      } else if (value.isArray()) {
        into.put(name, value.toString());
      } else {
        into.set(name, value);
      }
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
