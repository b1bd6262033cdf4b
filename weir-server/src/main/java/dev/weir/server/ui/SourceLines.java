package dev.weir.server.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A flow's source as the flow page shows it: numbered, highlighted lines, each with an anchor
 * ({@code #L12}), and the line where each task is defined, so that a click on a task in the graph
 * can jump to it.
 */
final class SourceLines {
  /**
   * One line.
   *
   * @param html the highlighted, escaped text
   * @param task the id of the task whose {@code id:} is on this line; null on other lines
   */
  record Line(int no, String html, String task) {}

  // "- id: load" or "id: load" (quoted or not, maybe with a comment), inside a task list
  private static final Pattern ID =
      Pattern.compile("\\s*(?:-\\s+)?id:\\s*([\"']?)([^\"'#\\s]+)\\1\\s*(?:#.*)?");
  // "- {id: load, type: shell}"
  private static final Pattern FLOW_ID =
      Pattern.compile("\\s*-\\s+\\{\\s*id:\\s*([\"']?)([^\"',}\\s]+)\\1\\s*[,}].*");
  private static final Pattern TOP_KEY = Pattern.compile("([A-Za-z_][\\w-]*)\\s*:.*");
  private static final Set<String> TASK_LISTS = Set.of("tasks", "onFailure", "finally");

  private SourceLines() {}

  /** The lines of {@code text} (masked already), with the lines that define {@code taskIds}. */
  static List<Line> of(String text, Set<String> taskIds) {
    List<String> html = YamlHighlighter.lines(text);
    List<String> raw = text.lines().toList();
    var out = new ArrayList<Line>(raw.size());
    var seen = new java.util.HashSet<String>();
    boolean inTasks = false;
    for (int i = 0; i < raw.size(); i++) {
      String line = raw.get(i);
      Matcher top = TOP_KEY.matcher(line);
      if (top.matches()) {
        inTasks = TASK_LISTS.contains(top.group(1));
      }
      String task = null;
      if (inTasks && !top.matches()) {
        Matcher id = ID.matcher(line);
        if (!id.matches()) {
          id = FLOW_ID.matcher(line);
        }
        if (id.matches() && taskIds.contains(id.group(2)) && seen.add(id.group(2))) {
          task = id.group(2);
        }
      }
      out.add(new Line(i + 1, html.get(i), task));
    }
    return out;
  }
}
