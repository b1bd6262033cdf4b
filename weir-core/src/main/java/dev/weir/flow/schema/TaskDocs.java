package dev.weir.flow.schema;

import dev.weir.task.TaskType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a task type's page says about it: the first paragraph, and the {@code meaning} (with the
 * {@code default}) of each row of the table under {@code ## Properties}. The pages of the built-in
 * types are {@code docs/tasks/<type>.md}, packed into the jar as {@code
 * META-INF/weir/tasks/<type>.md}; a plugin ships its own page at the same place in its jar, found
 * through the task type's class loader. A type without a page gets no descriptions.
 *
 * @param summary the first paragraph, or empty
 * @param properties by property name ({@code incremental.column} for a nested one)
 */
public record TaskDocs(String summary, Map<String, String> properties) {
  public static final String RESOURCE_DIR = "META-INF/weir/tasks/";
  private static final TaskDocs NONE = new TaskDocs("", Map.of());
  private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)]\\([^)]*\\)");
  private static final Pattern NAME = Pattern.compile("`([^`]+)`");
  private static final Pattern CELL_SPLIT = Pattern.compile("(?<!\\\\)\\|");

  public TaskDocs {
    properties = Map.copyOf(properties);
  }

  /** The page of {@code type}, or no descriptions when it has none. */
  public static TaskDocs of(TaskType<?> type) {
    ClassLoader loader = type.getClass().getClassLoader();
    String resource = RESOURCE_DIR + type.name() + ".md";
    try (InputStream in = loader == null ? null : loader.getResourceAsStream(resource)) {
      return in == null ? NONE : parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  public static TaskDocs parse(String markdown) {
    List<String> lines = markdown.lines().toList();
    return new TaskDocs(summary(lines), properties(lines));
  }

  private static String summary(List<String> lines) {
    var text = new StringBuilder();
    boolean inParagraph = false;
    for (String line : lines) {
      if (line.startsWith("#")) {
        if (inParagraph) {
          break;
        }
        continue;
      }
      if (line.isBlank()) {
        if (inParagraph) {
          break;
        }
        continue;
      }
      inParagraph = true;
      text.append(text.isEmpty() ? "" : " ").append(line.strip());
    }
    return plain(text.toString());
  }

  /**
   * The rows of the first table under {@code ## Properties}: name | type | required | default |
   * meaning.
   */
  private static Map<String, String> properties(List<String> lines) {
    var out = new LinkedHashMap<String, String>();
    int i = lines.indexOf("## Properties");
    if (i < 0) {
      return out;
    }
    boolean inTable = false;
    for (i++; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!line.startsWith("|")) {
        if (inTable || line.startsWith("#")) {
          break;
        }
        continue;
      }
      inTable = true;
      String[] cells = CELL_SPLIT.split(line, -1);
      if (cells.length < 6 || cells[1].strip().startsWith("---") || !cells[1].contains("`")) {
        continue; // the header, its rule, or a row of another shape
      }
      String description = describe(cells[5], cells[4]);
      Matcher names = NAME.matcher(cells[1]);
      while (names.find()) {
        out.put(names.group(1), description);
      }
    }
    return out;
  }

  private static String describe(String meaning, String byDefault) {
    String text = plain(meaning.strip());
    String d = plain(byDefault.strip());
    if (!d.isEmpty() && !d.equals("—") && !d.equals("-")) {
      text += (text.isEmpty() ? "" : " ") + "(default: " + d + ")";
    }
    return text;
  }

  /** Markdown links become their text; escaped pipes become pipes. */
  private static String plain(String markdown) {
    return LINK.matcher(markdown).replaceAll("$1").replace("\\|", "|");
  }
}
