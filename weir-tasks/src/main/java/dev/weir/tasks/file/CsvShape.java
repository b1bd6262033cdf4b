package dev.weir.tasks.file;

import dev.weir.task.TaskFailedException;
import dev.weir.util.Suggest;
import dev.weir.util.Utf8;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Looks at the start of a CSV file before DuckDB does, so that an empty file, a wrong delimiter, a
 * schema that does not match the header or text that is not UTF-8 is explained in Weir's words with
 * the fix, not as a page of DuckDB's sniffer settings.
 */
final class CsvShape {
  // enough for any header; the rest of the file is DuckDB's to read
  private static final int HEAD_BYTES = 1 << 20;
  private static final char[] DELIMITERS = {',', ';', '\t', '|'};

  private CsvShape() {}

  /**
   * @param shown how messages name the file
   * @return whether the file is empty and, having no header but a schema, holds no rows
   */
  static boolean check(
      Path file,
      String shown,
      Map<String, String> schema,
      boolean header,
      String delimiter,
      CsvEncoding encoding)
      throws IOException {
    boolean hasSchema = schema != null && !schema.isEmpty();
    byte[] head;
    boolean whole;
    try (InputStream in = open(file)) {
      if (in == null) {
        return false; // zstd: DuckDB reads it, the JDK cannot look inside
      }
      head = in.readNBytes(HEAD_BYTES);
      whole = in.read() < 0;
    }
    if (head.length == 0) {
      if (header || !hasSchema) {
        throw empty(file, shown);
      }
      return true; // no header and a schema: an empty file is a day without rows
    }
    String text = decode(head, whole, encoding, shown);
    int end = CsvHead.end(text);
    if (end < 0 && !whole) {
      return false; // a first line longer than the head: nothing sensible to say about it
    }
    String line = end < 0 ? text : text.substring(0, end);
    if (line.startsWith("\uFEFF")) {
      line = line.substring(1); // a byte order mark is not part of the first column's name
    }
    CsvHead first = CsvHead.parse(line, delimiter);
    String what = (header ? "the header of " : "the first line of ") + shown;
    List<String> names = hasSchema ? List.copyOf(schema.keySet()) : List.of();
    if (first.fields().size() == 1 && !(names.size() == 1 && names.equals(first.fields()))) {
      oneColumn(first, delimiter, what);
    }
    if (hasSchema) {
      if (header) {
        // DuckDB strips the spaces around a header's names, as in "id, name"
        compareNames(names, first.fields().stream().map(String::strip).toList(), what);
      } else if (names.size() != first.fields().size()) {
        throw TaskFailedException.permanent(
            "schema lists "
                + columns(names.size())
                + ", "
                + what
                + " has "
                + first.fields().size()
                + (first.fields().size() == 1 ? " field" : " fields")
                + "; list every column of the file in the schema, in file order");
      }
    }
    return false;
  }

  /** The first byte of {@code file} that is not UTF-8; empty for zstd, which the JDK can't read. */
  static Optional<Utf8.Invalid> firstInvalid(Path file) throws IOException {
    try (InputStream in = open(file)) {
      return in == null ? Optional.empty() : Utf8.firstInvalid(in);
    }
  }

  /** The failure for a file that is not UTF-8: where it stops being so, and what reads it. */
  static TaskFailedException notUtf8(String shown, Utf8.Invalid invalid) {
    return notUtf8(shown, invalid.describe(), false);
  }

  /** As above, for a file the JDK cannot look inside: DuckDB's line is all there is. */
  static TaskFailedException notUtf8(String shown, long line) {
    return notUtf8(shown, "line " + line, false);
  }

  private static TaskFailedException notUtf8(String shown, Utf8.Invalid invalid, boolean utf16) {
    return notUtf8(shown, invalid.describe(), utf16);
  }

  private static TaskFailedException notUtf8(String shown, String where, boolean utf16) {
    return TaskFailedException.permanent(
        shown
            + " is not UTF-8 text ("
            + where
            + (utf16
                ? "); it starts like UTF-16 text: set `encoding: utf-16`"
                : "); set `encoding: latin-1` if it is Latin-1 (ISO-8859-1) text, or save it as"
                    + " UTF-8"));
  }

  private static String decode(byte[] head, boolean whole, CsvEncoding encoding, String shown) {
    if (encoding == CsvEncoding.UTF_8) {
      Optional<Utf8.Invalid> invalid = Utf8.firstInvalid(head);
      // a sequence cut by the end of the head is not an error in the file
      if (invalid.isPresent() && (whole || invalid.get().offset() < head.length - 3)) {
        boolean utf16 =
            head.length >= 2
                && ((head[0] == (byte) 0xFF && head[1] == (byte) 0xFE)
                    || (head[0] == (byte) 0xFE && head[1] == (byte) 0xFF));
        throw notUtf8(shown, invalid.get(), utf16);
      }
      return new String(head, StandardCharsets.UTF_8);
    }
    return new String(head, encoding.charset);
  }

  private static TaskFailedException empty(Path file, String shown) throws IOException {
    boolean compressed = Files.isRegularFile(file) && Files.size(file) > 0;
    // retried as a missing file is: an export that has not finished yet may still fill it
    return new TaskFailedException(
        shown
            + " is empty (0 bytes"
            + (compressed ? " once uncompressed" : "")
            + "), without even a header line; check the step that writes it (a failed or"
            + " unfinished export?), or set `header: false` and a `schema` to read an empty file"
            + " as no rows");
  }

  /** A first line that is one column but holds another delimiter: the delimiter is wrong. */
  private static void oneColumn(CsvHead first, String delimiter, String what) {
    char best = 0;
    int most = 0;
    for (char c : DELIMITERS) {
      int n = delimiter.equals(String.valueOf(c)) ? 0 : first.countUnquoted(c);
      if (n > most) {
        best = c;
        most = n;
      }
    }
    if (most > 0) {
      throw TaskFailedException.permanent(
          what
              + " reads as one column `"
              + first.line()
              + "`; set `delimiter: "
              + (best == '\t' ? "\"\\t\"" : "'" + best + "'")
              + "`");
    }
  }

  private static void compareNames(List<String> schema, List<String> header, String what) {
    if (schema.equals(header)) {
      return;
    }
    var extra = new ArrayList<>(header.stream().filter(h -> !schema.contains(h)).toList());
    var details = new ArrayList<String>();
    for (String s : schema) {
      if (header.contains(s)) {
        continue;
      }
      List<String> close = Suggest.closest(s, extra, 1);
      if (close.isEmpty()) {
        details.add("`" + s + "` is missing");
      } else {
        details.add("`" + s + "` is not in the header (did you mean `" + close.getFirst() + "`?)");
        extra.remove(close.getFirst());
      }
    }
    extra.forEach(e -> details.add("`" + e + "` is not in the schema"));
    String fix =
        "; list the file's columns in the schema in file order, as the header names them: "
            + String.join(", ", header);
    if (details.isEmpty()) {
      throw TaskFailedException.permanent(
          "schema lists the columns of "
              + what.substring("the header of ".length())
              + " in another order than its header"
              + fix);
    }
    String opening =
        schema.size() == header.size()
            ? "schema and " + what + " name different columns: "
            : "schema lists "
                + columns(schema.size())
                + ", "
                + what
                + " has "
                + header.size()
                + ": ";
    throw TaskFailedException.permanent(opening + String.join("; ", details) + fix);
  }

  private static String columns(int n) {
    return n + (n == 1 ? " column" : " columns");
  }

  /** The file's bytes, uncompressed; null for zstd, which the JDK cannot read. */
  private static InputStream open(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".zst")) {
      return null;
    }
    InputStream in = new BufferedInputStream(Files.newInputStream(file));
    return name.endsWith(".gz") ? new GZIPInputStream(in) : in;
  }
}
