package dev.weir.flow;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML document as a Jackson tree plus the {@code line:col} of every path in it, so that
 * validation can point at the exact spot ({@code tasks[2].dependsOn[0]}).
 */
public final class YamlTree {
  private static final YAMLFactory YAML = new YAMLFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String file;
  private final String text;
  private final JsonNode root;
  private final Map<String, Location> locations;

  private YamlTree(String file, String text, JsonNode root, Map<String, Location> locations) {
    this.file = file;
    this.text = text;
    this.root = root;
    this.locations = locations;
  }

  /** Parses YAML text; syntax errors and duplicate keys are added to {@code problems}. */
  public static YamlTree parse(String file, String text, List<Problem> problems) {
    var builder = new Builder(file, problems);
    try (JsonParser p = YAML.createParser(text)) {
      JsonToken first = p.nextToken();
      JsonNode root = first == null ? NODES.objectNode() : builder.read(p, "");
      return new YamlTree(file, text, root, builder.locations);
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      Location loc =
          l == null ? Location.of(file) : new Location(file, l.getLineNr(), l.getColumnNr());
      if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
        // SnakeYAML knows the offending character; Jackson only the last token it read
        loc =
            new Location(
                file, m.getProblemMark().getLine() + 1, m.getProblemMark().getColumn() + 1);
      }
      String message = syntaxMessage(e);
      if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
        // most syntax errors in a flow are indentation mistakes, and SnakeYAML names the place
        // where it gave up, not the line that is out of line
        var mistake = Indentation.find(text, m.getProblemMark().getLine() + 1);
        if (mistake.isPresent()) {
          loc = new Location(file, mistake.get().line(), mistake.get().column());
          message = "indentation: " + mistake.get().message();
        }
      }
      problems.add(new Problem(loc, "", message));
      return new YamlTree(file, text, NODES.objectNode(), builder.locations);
    } catch (IOException e) {
      throw new IllegalStateException("reading YAML from a string cannot fail", e);
    }
  }

  /**
   * One line instead of SnakeYAML's several: what is wrong, where the enclosing block started, and
   * the usual fix.
   */
  static String syntaxMessage(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException m && m.getProblem() != null) {
      String problem = m.getProblem();
      String fix;
      if (problem.contains("<block end>") || problem.contains("<block mapping start>")) {
        problem = "a line is indented differently from the lines of its block";
        fix = "; indent every key of one mapping (and every '- ' of one list) by the same spaces";
      } else if (problem.contains("mapping values are not allowed")) {
        problem = "a plain value contains ': '";
        fix = "; quote the value, e.g. message: \"a: b\"";
      } else if (problem.contains("\\t") || problem.contains("(TAB)")) {
        problem = "a tab character where YAML expects spaces";
        fix = "; indent with spaces, YAML does not allow tabs";
      } else {
        fix = "; check the indentation and the quoting around here";
      }
      String context =
          m.getContext() == null || m.getContextMark() == null
              ? ""
              : " ("
                  + m.getContext()
                      .strip()
                      .replace("while parsing a block collection", "the list")
                      .replace("while parsing a block mapping", "the mapping")
                  + " that starts at line "
                  + (m.getContextMark().getLine() + 1)
                  + ", column "
                  + (m.getContextMark().getColumn() + 1)
                  + ")";
      return "invalid YAML: " + problem + context + fix;
    }
    String original = e.getOriginalMessage();
    return "invalid YAML: " + (original == null ? "" : original.lines().findFirst().orElse(""));
  }

  public String file() {
    return file;
  }

  public JsonNode root() {
    return root;
  }

  /** The location of {@code path}, or of its closest parent that has one. */
  public Location location(String path) {
    String p = path;
    while (true) {
      Location l = locations.get(p);
      if (l != null) {
        return l;
      }
      if (p.isEmpty()) {
        return new Location(file, 1, 1);
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut < 0 ? "" : p.substring(0, cut);
    }
  }

  /**
   * For a key that is not known where it is: when the line above it is indented further, the hint
   * that it may belong there ({@code ; if it belongs with `attempts:` on line 6, indent it 6 spaces
   * like that line}); else the empty string.
   */
  public String indentationHint(String path) {
    Location l = locations.get(path);
    return l == null ? "" : Indentation.above(text, l.line(), l.column()).orElse("");
  }

  public Problem problem(String path, String message) {
    return new Problem(location(path), path, message);
  }

  private static final class Builder {
    final String file;
    final List<Problem> problems;
    final Map<String, Location> locations = new HashMap<>();

    Builder(String file, List<Problem> problems) {
      this.file = file;
      this.problems = problems;
    }

    Location here(JsonParser p) {
      JsonLocation l = p.currentTokenLocation();
      return new Location(file, l.getLineNr(), l.getColumnNr());
    }

    JsonNode read(JsonParser p, String path) throws IOException {
      JsonToken t = p.currentToken();
      locations.putIfAbsent(path, here(p));
      return switch (t) {
        case START_OBJECT -> readObject(p, path);
        case START_ARRAY -> readArray(p, path);
        case VALUE_STRING -> NODES.textNode(p.getText());
        case VALUE_NUMBER_INT -> intNode(p);
        case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDecimalValue());
        case VALUE_TRUE -> NODES.booleanNode(true);
        case VALUE_FALSE -> NODES.booleanNode(false);
        case VALUE_NULL -> NODES.nullNode();
        default -> NODES.textNode(p.getText());
      };
    }

    private static JsonNode intNode(JsonParser p) throws IOException {
      return switch (p.getNumberType()) {
        case INT -> NODES.numberNode(p.getIntValue());
        case LONG -> NODES.numberNode(p.getLongValue());
        default -> NODES.numberNode(p.getBigIntegerValue());
      };
    }

    private ObjectNode readObject(JsonParser p, String path) throws IOException {
      ObjectNode node = NODES.objectNode();
      List<String> seen = new ArrayList<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        String child = path.isEmpty() ? key : path + "." + key;
        Location keyLocation = here(p);
        if (seen.contains(key)) {
          problems.add(
              new Problem(
                  keyLocation,
                  child,
                  "duplicate key '" + key + "'; each key may appear once, remove one of them"));
        }
        seen.add(key);
        locations.put(child, keyLocation);
        p.nextToken();
        node.set(key, read(p, child));
      }
      return node;
    }

    private ArrayNode readArray(JsonParser p, String path) throws IOException {
      ArrayNode node = NODES.arrayNode();
      int i = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        node.add(read(p, path + "[" + i + "]"));
        i++;
      }
      return node;
    }
  }
}
