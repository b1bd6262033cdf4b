package dev.weir.tasks.wait;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The condition {@code wait.http} checks on a JSON body: the value at a JSON Pointer ({@code
 * /status}, {@code /items/0/state}) equals an expected text, or, without one, is true (true, a
 * number other than 0, text other than empty/false/0, a non-empty array or object).
 *
 * @param pointer a JSON Pointer (RFC 6901)
 * @param expected the value's text (a string's content, a number or boolean as written), or null
 */
record JsonCondition(String pointer, String expected) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a check of one body found. */
  sealed interface Outcome {}

  /** The condition holds; {@code value} is the pointed-at value as plain Java data. */
  record Met(Object value) implements Outcome {}

  /** The condition does not hold (yet), for the reason given. */
  record NotMet(String why) implements Outcome {}

  /** A problem with the pointer's text, or null when it is a JSON Pointer. */
  static String problem(String pointer) {
    try {
      JsonPointer.compile(pointer);
      return null;
    } catch (IllegalArgumentException e) {
      return "jsonPointer '"
          + pointer
          + "' is not a JSON Pointer; start it with / and separate keys with /, e.g. /status or"
          + " /jobs/0/state";
    }
  }

  /**
   * @throws IOException when {@code body} is not JSON
   */
  Outcome check(String body) throws IOException {
    JsonNode root = JSON.readTree(body);
    if (root == null || root.isMissingNode()) {
      throw new IOException("the body is empty");
    }
    JsonNode node = root.at(JsonPointer.compile(pointer));
    if (node.isMissingNode()) {
      return new NotMet("the body has no " + pointer + " yet");
    }
    Object value = JSON.treeToValue(node, Object.class);
    if (expected != null) {
      String actual = node.isValueNode() ? node.asText() : node.toString();
      return actual.equals(expected.strip())
          ? new Met(value)
          : new NotMet(pointer + " is " + shown(node) + ", waiting for '" + expected.strip() + "'");
    }
    boolean truthy =
        node.isContainerNode() ? !node.isEmpty() : Sensors.truthy(node.isNull() ? null : value);
    return truthy ? new Met(value) : new NotMet(pointer + " is " + shown(node) + ", not true");
  }

  private static String shown(JsonNode node) {
    String s = node.toString();
    return s.length() > 100 ? s.substring(0, 97) + "..." : s;
  }
}
