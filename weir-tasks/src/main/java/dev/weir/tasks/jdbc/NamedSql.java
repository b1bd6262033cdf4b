package dev.weir.tasks.jdbc;

import java.util.ArrayList;
import java.util.List;

/**
 * SQL with {@code :name} parameters turned into {@code ?} placeholders, so values are bound, never
 * pasted in. Quoted text, comments and {@code ::} casts are left alone.
 *
 * @param names the parameter of each placeholder, in order (a name may repeat)
 */
record NamedSql(String sql, List<String> names) {
  static NamedSql parse(String text) {
    var out = new StringBuilder(text.length());
    var names = new ArrayList<String>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        int end = closing(text, i, c);
        out.append(text, i, end);
        i = end;
      } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
        int end = text.indexOf('\n', i);
        end = end < 0 ? n : end;
        out.append(text, i, end);
        i = end;
      } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
        int end = text.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        out.append(text, i, end);
        i = end;
      } else if (c == ':' && i + 1 < n && text.charAt(i + 1) == ':') {
        out.append("::");
        i += 2;
      } else if (c == ':'
          && i + 1 < n
          && Character.isJavaIdentifierStart(text.charAt(i + 1))
          && (i == 0 || !Character.isJavaIdentifierPart(text.charAt(i - 1)))) {
        int end = i + 1;
        while (end < n && Character.isJavaIdentifierPart(text.charAt(end))) {
          end++;
        }
        names.add(text.substring(i + 1, end));
        out.append('?');
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return new NamedSql(out.toString(), List.copyOf(names));
  }

  private static int closing(String text, int start, char quote) {
    int i = start + 1;
    while (i < text.length()) {
      if (text.charAt(i) == quote) {
        if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return text.length();
  }
}
