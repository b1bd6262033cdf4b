package dev.weir.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the first line of a YAML text whose indentation fits none of the blocks around it, and
 * names the line it should be aligned with. SnakeYAML reports such a mistake where its parser gives
 * up, often as "mapping values are not allowed here" (a key indented too far reads as the rest of
 * the value above it) and sometimes a line later; this reads the lines the way a person does, by
 * their indentation alone.
 */
final class Indentation {
  // a mapping key (plain or quoted) followed by ':' and a space or the end of the line
  private static final Pattern KEY =
      Pattern.compile(
          "^(\"[^\"]*\"|'[^']*'|[^\\s#'\"\\[\\]{},:-][^#]*?|-[^\\s#][^#]*?)\\s*:(\\s|$)");
  private static final Pattern BLOCK_SCALAR = Pattern.compile("^[|>][-+0-9]*\\s*(#.*)?$");

  /** A mistake at a 1-based line and column. */
  record Mistake(int line, int column, String message) {}

  private enum Kind {
    MAP,
    LIST
  }

  /** An open mapping or list: where its entries start, and its latest entry for messages. */
  private static final class Block {
    final Kind kind;
    final int indent;
    int line;
    String label;

    Block(Kind kind, int indent, int line, String label) {
      this.kind = kind;
      this.indent = indent;
      this.line = line;
      this.label = label;
    }
  }

  /**
   * One line with content: its indentation and what it starts with.
   *
   * @param gap the spaces between a list item's '-' and its content
   */
  private record Line(
      int number, int indent, boolean tab, boolean item, int gap, String key, String rest) {
    String label() {
      if (item) {
        return key != null ? "- " + key + ":" : "- " + shorten(rest);
      }
      return key + ":";
    }

    /** A key with nothing after it, or a lone '-': the lines below belong to it. */
    boolean opens() {
      return rest.isEmpty() || rest.startsWith("#");
    }

    /** Where this line's key starts: the lines it opens must be indented further. */
    int keyColumn() {
      return item && key != null ? indent + 1 + gap : indent;
    }
  }

  private Indentation() {}

  /** The first indentation mistake at or before {@code lastLine}, if there is one. */
  static Optional<Mistake> find(String text, int lastLine) {
    var stack = new ArrayList<Block>();
    Line opener = null; // the line above, when the lines below it belong to it
    for (Line l : lines(text, lastLine)) {
      if (l.tab) {
        return Optional.of(tab(l, stack, opener));
      }
      Kind kind = l.item ? Kind.LIST : Kind.MAP;
      if (opener != null) {
        boolean keyed = opener.key != null;
        // a key's list may start at the key's own indentation ("tasks:" then "- id: a")
        if (l.indent > opener.keyColumn() || keyed && l.item && l.indent == opener.keyColumn()) {
          stack.add(new Block(kind, l.indent, l.number, l.label()));
          opener = enter(l, stack);
          continue;
        }
      }
      if (stack.isEmpty() && !l.item) {
        stack.add(new Block(Kind.MAP, l.indent, l.number, l.label()));
        opener = enter(l, stack);
        continue;
      }
      Block same = null;
      for (int i = stack.size() - 1; i >= 0 && stack.get(i).indent >= l.indent; i--) {
        Block b = stack.get(i);
        if (b.indent == l.indent && b.kind == kind) {
          same = b;
          break;
        }
      }
      if (same == null) {
        return misplaced(l, stack);
      }
      while (stack.getLast() != same) {
        stack.removeLast();
      }
      same.line = l.number;
      same.label = l.label();
      opener = enter(l, stack);
    }
    return Optional.empty();
  }

  /**
   * When the line with content above {@code line} is indented further than {@code column}, the hint
   * that the key at {@code line} may belong with it.
   */
  static Optional<String> above(String text, int line, int column) {
    List<Line> before = lines(text, line - 1);
    if (before.isEmpty()) {
      return Optional.empty();
    }
    Line l = before.getLast();
    int indent = l.keyColumn();
    if (l.key == null || indent <= column - 1) {
      return Optional.empty();
    }
    return Optional.of(
        "; if it belongs with `"
            + l.key
            + ":` on line "
            + l.number
            + ", indent it "
            + spaces(indent)
            + " like that line");
  }

  /** After a line is placed: a list item's own key starts a mapping inside the item. */
  private static Line enter(Line l, List<Block> stack) {
    if (l.item && l.key != null) {
      stack.add(new Block(Kind.MAP, l.keyColumn(), l.number, l.key + ":"));
    }
    return l.opens() ? l : null;
  }

  private static int leadingSpaces(String s) {
    int n = 0;
    while (n < s.length() && s.charAt(n) == ' ') {
      n++;
    }
    return n;
  }

  /** A line whose indentation matches no open block of its kind: name the closest one. */
  private static Optional<Mistake> misplaced(Line l, List<Block> stack) {
    Kind kind = l.item ? Kind.LIST : Kind.MAP;
    Block best = null;
    for (Block b : stack) {
      // the deeper block wins a tie: it is the one the lines just above belong to
      if (b.kind == kind
          && (best == null || Math.abs(b.indent - l.indent) <= Math.abs(best.indent - l.indent))) {
        best = b;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    String siblings = l.item ? "the other items of its list " : "its siblings ";
    return Optional.of(
        new Mistake(
            l.number,
            l.indent + 1,
            "`"
                + l.label()
                + "` is indented "
                + spaces(l.indent)
                + ", "
                + siblings
                + best.indent
                + "; align it with `"
                + best.label
                + "` on line "
                + best.line));
  }

  private static Mistake tab(Line l, List<Block> stack, Line opener) {
    String fix = "replace the tab with spaces";
    Kind kind = l.item ? Kind.LIST : Kind.MAP;
    if (opener == null && !stack.isEmpty() && stack.getLast().kind == kind) {
      Block b = stack.getLast();
      fix =
          "replace the tab with "
              + spaces(b.indent)
              + " to align it with `"
              + b.label
              + "` on line "
              + b.line;
    }
    return new Mistake(
        l.number,
        1,
        "`" + l.label() + "` is indented with a tab; YAML indents with spaces only: " + fix);
  }

  private static String spaces(int n) {
    return n + (n == 1 ? " space" : " spaces");
  }

  private static String shorten(String s) {
    String t = s.replaceFirst("\\s+#.*$", "").strip();
    return t.length() <= 30 ? t : t.substring(0, 27) + "...";
  }

  /**
   * The lines with content up to {@code lastLine}, leaving out comments, block scalars and the
   * inside of values that span lines.
   */
  private static List<Line> lines(String text, int lastLine) {
    var out = new ArrayList<Line>();
    String[] raw = text.split("\r?\n|\r", -1);
    int scalarIndent = -1; // inside a block scalar (| or >) of a key at this indentation
    int open = 0; // brackets of a flow collection ({...} or [...]) still open
    for (int i = 0; i < raw.length && i < lastLine; i++) {
      String s = raw[i];
      String content = s.stripLeading();
      if (content.isEmpty()) {
        continue;
      }
      String whitespace = s.substring(0, s.length() - content.length());
      int spaces = leadingSpaces(whitespace);
      if (scalarIndent >= 0 && spaces > scalarIndent) {
        continue;
      }
      scalarIndent = -1;
      if (open > 0) {
        open += brackets(content);
        continue;
      }
      if (content.startsWith("#") || content.startsWith("---") || content.startsWith("...")) {
        continue;
      }
      boolean item = content.equals("-") || content.startsWith("- ");
      String body = item ? content.substring(1) : content;
      int gap = item ? leadingSpaces(body) : 0;
      body = body.strip();
      String key = null;
      String rest = body;
      Matcher m = KEY.matcher(body);
      if (m.find()) {
        key = m.group(1).strip();
        rest = body.substring(m.end()).strip();
      } else if (!item) {
        continue; // the continuation of a plain value that spans lines
      }
      if (key != null && BLOCK_SCALAR.matcher(rest).matches()) {
        scalarIndent = item ? spaces + 1 + gap : spaces;
      }
      if (rest.startsWith("{") || rest.startsWith("[")) {
        open = Math.max(0, brackets(rest));
      }
      out.add(new Line(i + 1, spaces, whitespace.contains("\t"), item, gap, key, rest));
    }
    return out;
  }

  /** Opening minus closing brackets outside quotes. */
  private static int brackets(String s) {
    int n = 0;
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '{' || c == '[') {
        n++;
      } else if (c == '}' || c == ']') {
        n--;
      } else if (c == '#' && (i == 0 || s.charAt(i - 1) == ' ')) {
        break;
      }
    }
    return n;
  }
}
