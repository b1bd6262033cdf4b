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
  private final dev.weir.deadletter.DeadLetters letters;
  private long seen;
  private final java.util.List<Long> skipped = new java.util.ArrayList<>();

  RecordWriter(Path file, ObjectMapper json) throws IOException {
    this(file, json, dev.weir.deadletter.DeadLetters.NONE);
  }

  /**
   * @param letters where a record that is not an object goes, when enabled: the schema names the
   *     columns of objects, and a {@code value} column would only hide the bad record
   */
  RecordWriter(Path file, ObjectMapper json, dev.weir.deadletter.DeadLetters letters)
      throws IOException {
    this.json = json;
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    this.letters = letters;
  }

  /**
   * Writes every element of {@code records} (an array); returns how many there were, those set
   * aside included (pagination counts them).
   */
  int write(JsonNode records) throws IOException {
    int n = 0;
    for (JsonNode record : records) {
      seen++;
      if (!record.isObject() && letters.enabled()) {
        letters.reject(
            record,
            "record "
                + seen
                + " is "
                + (record.isArray()
                    ? "a list"
                    : "a " + record.getNodeType().name().toLowerCase(java.util.Locale.ROOT))
                + ", not an object with the schema's columns");
        skipped.add(seen);
        n++;
        continue;
      }
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

  /** The place (from 1) among all records received of the record on {@code line} of the file. */
  long place(long line) {
    long place = line;
    for (long s : skipped) {
      if (s <= place) {
        place++;
      } else {
        break;
      }
    }
    return place;
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
