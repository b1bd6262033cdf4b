package dev.weir.server.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Highlights a flow's YAML on the server, line by line, so the flow page needs no script library:
 * keys, quoted strings, literals (numbers, booleans, null), comments, {@code {{ … }}} templates and
 * the punctuation of lists and block scalars each get a {@code <span class="y-…">}. Every piece of
 * the text is HTML-escaped; the result is safe to put in a page as it is.
 *
 * <p>It is a tokenizer, not a parser: it knows what a reader needs to see — a {@code #} inside a
 * quoted string or a block scalar ({@code command: |}) is not a comment, a {@code :} in a URL is
 * not a key — and colours anything else it does not recognise as plain text.
 */
final class YamlHighlighter {
  // a mapping key: quoted, or plain up to the ": " (no quotes or '#' in a plain key)
  private static final Pattern KEY =
      Pattern.compile(
          "(\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^']|'')*'|[^\\s'\"{}\\[\\]#&*!|>%@`,][^'\"#]*?)"
              + "(\\s*)(:)(?=\\s|$)");
  // a key inside a flow mapping: plain, up to ": " (or ":" before a "," "}" "]")
  private static final Pattern FLOW_KEY =
      Pattern.compile("([^\\s'\"{}\\[\\],#:][^{}\\[\\],#:]*?)(\\s*)(:)(?=\\s|$|[,}\\]])");
  private static final String INDICATORS = "{}[],";
  private static final Pattern BLOCK = Pattern.compile("[|>][-+]?[1-9]?[-+]?(?=\\s*(?:#.*)?$)");
  private static final Pattern LITERAL =
      Pattern.compile("(?i:true|false|null|~)|[-+]?(?:\\d[\\d_]*)(?:\\.\\d+)?(?:[eE][-+]?\\d+)?");

  private YamlHighlighter() {}

  /** One HTML string per line of {@code text} (as {@link String#lines()} splits it). */
  static List<String> lines(String text) {
    var out = new ArrayList<String>();
    int blockParent = -1; // lines indented beyond this column belong to a block scalar
    for (String line : text.lines().toList()) {
      if (blockParent >= 0) {
        if (line.isBlank() || indent(line) > blockParent) {
          var l = new LineTokens(line);
          l.templatesUpTo(line.length());
          out.add(l.html());
          continue;
        }
        blockParent = -1;
      }
      var l = new LineTokens(line);
      l.line();
      out.add(l.html());
      blockParent = l.blockParent;
    }
    return out;
  }

  private static int indent(String line) {
    int i = 0;
    while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  /** The tokens of one line, written out as escaped HTML as they are read. */
  private static final class LineTokens {
    private final String s;
    private final StringBuilder html = new StringBuilder();
    private int pos;
    int blockParent = -1;

    LineTokens(String s) {
      this.s = s;
    }

    String html() {
      return html.toString();
    }

    void line() {
      spaces();
      if (pos == s.length()) {
        return;
      }
      String rest = s.substring(pos).strip();
      if (s.charAt(pos) == '#') {
        span("c", s.substring(pos));
        return;
      }
      if (rest.equals("---") || rest.equals("...")) {
        span("p", s.substring(pos));
        return;
      }
      int parent = -1; // the column of the key or list item a block scalar would belong to
      while (s.startsWith("- ", pos) || s.startsWith("-\t", pos) || s.substring(pos).equals("-")) {
        parent = pos;
        span("p", "-");
        pos++;
        spaces();
      }
      Matcher key = KEY.matcher(s).region(pos, s.length());
      if (key.lookingAt()) {
        parent = pos;
        span("k", key.group(1));
        text(key.group(2));
        span("p", ":");
        pos = key.end();
        spaces();
      }
      value(parent);
    }

    private void value(int parent) {
      if (pos == s.length()) {
        return;
      }
      Matcher block = BLOCK.matcher(s).region(pos, s.length());
      if (block.lookingAt()) {
        span("p", block.group());
        pos = block.end();
        blockParent = parent;
        tail();
        return;
      }
      char c = s.charAt(pos);
      if (c == '"' || c == '\'') {
        quoted();
        tail();
        return;
      }
      if (c == '[' || c == '{') {
        flow();
        return;
      }
      int end = commentStart(pos);
      String plain = s.substring(pos, end).stripTrailing();
      if (LITERAL.matcher(plain).matches()) {
        span("l", plain);
        pos += plain.length();
        tail();
        return;
      }
      templatesUpTo(end);
      tail();
    }

    /**
     * A flow collection ({@code [a, "b"]}, {@code {id: x, n: 3}}): its keys, strings, literals and
     * templates, then a comment.
     */
    private void flow() {
      char previous = '[';
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == '#' && Character.isWhitespace(s.charAt(pos - 1))) {
          span("c", s.substring(pos));
          return;
        }
        if (s.startsWith("{{", pos)) {
          template(s.length());
          previous = '}';
          continue;
        }
        if (Character.isWhitespace(c) || INDICATORS.indexOf(c) >= 0) {
          text(String.valueOf(c));
          pos++;
          previous = Character.isWhitespace(c) ? previous : c;
          continue;
        }
        if (c == '"' || c == '\'') {
          quoted();
          previous = c;
          continue;
        }
        Matcher key = FLOW_KEY.matcher(s).region(pos, s.length());
        if ((previous == '{' || previous == ',') && key.lookingAt()) {
          span("k", key.group(1));
          text(key.group(2));
          span("p", ":");
          pos = key.end();
          previous = ':';
          continue;
        }
        flowScalar();
        previous = 'a';
      }
    }

    /** A plain scalar inside a flow collection: up to an indicator, a template or a comment. */
    private void flowScalar() {
      int end = pos;
      while (end < s.length()
          && INDICATORS.indexOf(s.charAt(end)) < 0
          && !(s.charAt(end) == '#' && Character.isWhitespace(s.charAt(end - 1)))) {
        end++;
      }
      String token = s.substring(pos, end);
      String plain = token.stripTrailing();
      if (LITERAL.matcher(plain).matches()) {
        span("l", plain);
        pos += plain.length();
      } else {
        text(token);
        pos = end;
      }
    }

    /** A quoted string from {@code pos}, with the templates inside it. */
    private void quoted() {
      char q = s.charAt(pos);
      int i = pos + 1;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (q == '"' && c == '\\') {
          i += 2;
          continue;
        }
        if (c == q) {
          if (q == '\'' && i + 1 < s.length() && s.charAt(i + 1) == '\'') {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        i++;
      }
      int end = Math.min(i, s.length());
      html.append("<span class=\"y-s\">");
      templatesUpTo(end);
      html.append("</span>");
    }

    /** Plain text up to {@code end}, with its templates marked. */
    void templatesUpTo(int end) {
      while (pos < end) {
        int open = s.indexOf("{{", pos);
        if (open < 0 || open >= end) {
          text(s.substring(pos, end));
          pos = end;
          return;
        }
        text(s.substring(pos, open));
        pos = open;
        template(end);
      }
    }

    private void template(int limit) {
      int close = s.indexOf("}}", pos + 2);
      int end = close < 0 || close + 2 > limit ? limit : close + 2;
      span("t", s.substring(pos, end));
      pos = end;
    }

    /** What may follow a value: spaces and a comment. */
    private void tail() {
      spaces();
      if (pos < s.length()) {
        if (s.charAt(pos) == '#') {
          span("c", s.substring(pos));
        } else {
          templatesUpTo(s.length());
        }
        pos = s.length();
      }
    }

    /** Where a comment starts in a plain value: a '#' after a space, or the end of the line. */
    private int commentStart(int from) {
      for (int i = from; i < s.length(); i++) {
        if (s.charAt(i) == '#' && (i == 0 || Character.isWhitespace(s.charAt(i - 1)))) {
          return i;
        }
      }
      return s.length();
    }

    private void spaces() {
      int start = pos;
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
      text(s.substring(start, pos));
    }

    private void span(String cls, String text) {
      html.append("<span class=\"y-").append(cls).append("\">");
      text(text);
      html.append("</span>");
    }

    private void text(String text) {
      html.append(Html.escape(text));
    }
  }
}
