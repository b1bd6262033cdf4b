package dev.weir.tasks.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.Dataset;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.TestContext;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CSV file whose shape is wrong is explained in Weir's words with the fix; before, each of these
 * printed DuckDB's sniffer page ("Error when sniffing file … The search space used was: … Possible
 * fixes: * Disable the parser's strict mode …") or read silently into the wrong shape.
 */
class CsvShapeTest {
  private static final String FIVE =
      "schema:\n  id: BIGINT\n  name: VARCHAR\n  amount: DOUBLE\n  day: DATE\n  country: VARCHAR\n";

  @TempDir Path dir;

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  private TaskResult read(String yaml) throws Exception {
    return new TestContext(dir).run("orders", new FileReadTask(), yaml);
  }

  private void failsWith(String yaml, String message) {
    assertThatThrownBy(() -> read(yaml))
        .isInstanceOf(TaskFailedException.class)
        .hasMessage(message)
        .hasMessageNotContaining("sniff");
  }

  @Test
  void an_empty_file_says_it_is_empty_and_is_retried_like_a_missing_one() throws Exception {
    Path file = write("orders.csv", "");
    // before: no schema read it as 0 rows of one VARCHAR column 'column0'; a schema got the dump
    assertThatThrownBy(() -> read("path: orders.csv"))
        .hasMessage(
            file
                + " is empty (0 bytes), without even a header line; check the step that writes it"
                + " (a failed or unfinished export?), or set `header: false` and a `schema` to"
                + " read an empty file as no rows")
        .satisfies(e -> assertThat(((TaskFailedException) e).retryable()).isTrue());
    assertThatThrownBy(() -> read("path: orders.csv\n" + FIVE))
        .hasMessageStartingWith(file + " is empty (0 bytes), without even a header line;");
  }

  @Test
  void an_empty_gzip_file_says_it_is_empty_once_uncompressed() throws Exception {
    Path file = dir.resolve("orders.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.flush();
    }
    assertThatThrownBy(() -> read("path: orders.csv.gz"))
        .hasMessageStartingWith(file + " is empty (0 bytes once uncompressed), without even");
  }

  @Test
  void an_empty_file_without_header_but_with_a_schema_is_no_rows() throws Exception {
    write("orders.csv", "");
    TaskResult result =
        read("path: orders.csv\nheader: false\nschema: {id: BIGINT, amount: 'DECIMAL(10,2)'}");
    assertThat(result.rows()).isZero();
    assertThat(result.dataset().schema())
        .containsExactly(
            new Dataset.Column("id", "BIGINT"), new Dataset.Column("amount", "DECIMAL(10,2)"));
  }

  @Test
  void a_schema_column_missing_from_the_header_is_named() throws Exception {
    Path file = write("orders.csv", "id,name,amount,day\n1,a,2.5,2024-01-01\n");
    failsWith(
        "path: orders.csv\n" + FIVE,
        "schema lists 5 columns, the header of "
            + file
            + " has 4: `country` is missing; list the file's columns in the schema in file"
            + " order, as the header names them: id, name, amount, day");
  }

  @Test
  void a_header_column_missing_from_the_schema_is_named() throws Exception {
    Path file = write("orders.csv", "id,name,amount,day,country\n1,a,2.5,2024-01-01,pt\n");
    failsWith(
        "path: orders.csv\nschema: {id: BIGINT, name: VARCHAR, amount: DOUBLE, day: DATE}",
        "schema lists 4 columns, the header of "
            + file
            + " has 5: `country` is not in the schema; list the file's columns in the schema in"
            + " file order, as the header names them: id, name, amount, day, country");
  }

  @Test
  void names_that_differ_by_case_or_spelling_get_a_did_you_mean() throws Exception {
    // before: the schema's names silently replaced the header's, so `amout` read `amount`
    Path file = write("orders.csv", "id,Name,amount\n1,a,2.5\n");
    failsWith(
        "path: orders.csv\nschema: {id: BIGINT, name: VARCHAR, amout: DOUBLE}",
        "schema and the header of "
            + file
            + " name different columns: `name` is not in the header (did you mean `Name`?);"
            + " `amout` is not in the header (did you mean `amount`?); list the file's columns in"
            + " the schema in file order, as the header names them: id, Name, amount");
  }

  @Test
  void spaces_around_header_names_do_not_count_as_a_difference() throws Exception {
    write("orders.csv", "id, name\n1,a\n");
    assertThat(read("path: orders.csv\nschema: {id: BIGINT, name: VARCHAR}").rows()).isEqualTo(1);
  }

  @Test
  void the_same_columns_in_another_order_would_swap_values_and_are_refused() throws Exception {
    Path file = write("orders.csv", "id,day,amount\n1,2024-01-01,2.5\n");
    failsWith(
        "path: orders.csv\nschema: {id: BIGINT, amount: VARCHAR, day: VARCHAR}",
        "schema lists the columns of "
            + file
            + " in another order than its header; list the file's columns in the schema in file"
            + " order, as the header names them: id, day, amount");
  }

  @Test
  void without_a_header_the_schema_must_have_as_many_columns_as_the_first_line() throws Exception {
    Path file = write("orders.csv", "1,a,2.5\n");
    failsWith(
        "path: orders.csv\nheader: false\nschema: {id: BIGINT, name: VARCHAR}",
        "schema lists 2 columns, the first line of "
            + file
            + " has 3 fields; list every column of the file in the schema, in file order");
  }

  @Test
  void a_header_that_reads_as_one_column_names_the_delimiter_to_set() throws Exception {
    write("orders.csv", "a;b;c\n1;2;3\n");
    // before: read silently as one column named 'a;b;c'
    failsWith(
        "path: orders.csv",
        "the header of "
            + dir.resolve("orders.csv")
            + " reads as one column `a;b;c`; set `delimiter: ';'`");
    write("tabs.csv", "a\tb\n1\t2\n");
    assertThatThrownBy(() -> read("path: tabs.csv\nschema: {a: BIGINT, b: BIGINT}"))
        .hasMessageEndingWith(" reads as one column `a\tb`; set `delimiter: \"\\t\"`");
  }

  @Test
  void the_suggested_delimiter_reads_the_file() throws Exception {
    write("orders.csv", "a;b;c\n1;2;3\n");
    assertThat(read("path: orders.csv\ndelimiter: ';'").dataset().schema()).hasSize(3);
  }

  @Test
  void a_real_one_column_file_still_reads() throws Exception {
    write("ids.csv", "id\n1\n2\n");
    assertThat(new TestContext(dir).run("ids", new FileReadTask(), "path: ids.csv").rows())
        .isEqualTo(2);
  }

  @Test
  void a_latin1_file_names_the_first_bad_byte_and_the_encoding_to_set() throws Exception {
    // the bad byte is past the head Weir looks at itself, so DuckDB finds it first
    var sb = new StringBuilder("id,name\n");
    for (int i = 1; sb.length() < (1 << 20) + 100; i++) {
      sb.append(i).append(",plain\n");
    }
    int offset = sb.length() + 5;
    long line = sb.chars().filter(c -> c == '\n').count() + 1;
    sb.append("99,caf\u00e9\n");
    Path file = dir.resolve("orders.csv");
    Files.write(file, sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    // before: the row was set aside as "Invalid unicode (byte sequence mismatch) detected",
    // so with maxRejected every row with an accent was dropped without a word about encoding
    failsWith(
        "path: orders.csv\nmaxRejected: 10%",
        file
            + " is not UTF-8 text (byte 0xE9 at offset "
            + (offset + 1)
            + ", line "
            + line
            + "); set `encoding: latin-1` if it is Latin-1 (ISO-8859-1) text, or save it as UTF-8");
  }

  @Test
  void a_latin1_header_is_caught_before_duckdb_reads_it() throws Exception {
    Path file = dir.resolve("orders.csv");
    Files.write(file, "id,ann\u00e9e\n1,2024\n".getBytes(StandardCharsets.ISO_8859_1));
    failsWith(
        "path: orders.csv",
        file
            + " is not UTF-8 text (byte 0xE9 at offset 6, line 1); set `encoding: latin-1` if it"
            + " is Latin-1 (ISO-8859-1) text, or save it as UTF-8");
  }

  @Test
  void a_utf16_file_is_told_to_set_utf16() throws Exception {
    Path file = dir.resolve("orders.csv");
    Files.write(file, "id,name\n1,a\n".getBytes(StandardCharsets.UTF_16LE));
    byte[] bom = {(byte) 0xFF, (byte) 0xFE};
    byte[] body = Files.readAllBytes(file);
    byte[] all = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, all, 0, 2);
    System.arraycopy(body, 0, all, 2, body.length);
    Files.write(file, all);
    failsWith(
        "path: orders.csv",
        file
            + " is not UTF-8 text (byte 0xFF at offset 0, line 1); it starts like UTF-16 text:"
            + " set `encoding: utf-16`");
    assertThat(read("path: orders.csv\nencoding: utf-16").rows()).isEqualTo(1);
  }

  @Test
  void encoding_latin1_reads_the_accents_as_they_were_meant() throws Exception {
    Files.write(
        dir.resolve("orders.csv"), "id,name\n1,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    var ctx = new TestContext(dir);
    ctx.run("orders", new FileReadTask(), "path: orders.csv\nencoding: latin-1");
    ctx.run("out", new FileWriteTask(), "{dataset: orders, path: out.csv}");
    assertThat(Files.readString(dir.resolve("out.csv"))).isEqualTo("id,name\n1,café\n");
  }

  @Test
  void validation_names_an_unknown_encoding() {
    assertThat(TestContext.problems(new FileReadTask(), "{path: a.csv, encoding: cp1252}"))
        .containsExactly(
            "encoding 'cp1252' is not one file.read can read; use utf-8 (the default), utf-16"
                + " or latin-1, or convert the file to UTF-8 first (e.g. `iconv -f WINDOWS-1252"
                + " -t UTF-8`)");
  }

  @Test
  void the_raw_column_of_rejected_csv_holds_the_line_as_it_was_with_crlf_line_ends()
      throws Exception {
    // before: with \r\n line ends DuckDB's csv_line began with the previous line's \n
    write("orders.csv", "id,amount\r\n1,2\r\n2,x\r\n3,4\r\n");
    TaskResult result =
        read("path: orders.csv\nmaxRejected: 1\nschema: {id: BIGINT, amount: BIGINT}");
    assertThat(result.rows()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve(".staging/orders/rejected.csv")))
        .isEqualTo(
            "line,column,reason,raw\n"
                + "3,amount,\"Error when converting column \"\"amount\"\". Could not convert"
                + " string \"\"x\"\" to 'BIGINT'\",\"2,x\"\n");
  }

  @Test
  void what_weir_cannot_look_into_gets_duckdbs_first_lines_without_its_settings_page()
      throws Exception {
    // Weir does not uncompress zstd itself, so the schema mismatch reaches DuckDB's sniffer
    Path file = dir.resolve("orders.csv.zst");
    try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        var st = c.createStatement()) {
      st.execute(
          "COPY (SELECT 1 AS id, 'a' AS name) TO '" + file + "' (FORMAT csv, COMPRESSION zstd)");
    }
    assertThatThrownBy(() -> read("path: orders.csv.zst\nschema: {id: BIGINT}"))
        .hasMessage(
            "file.read could not read "
                + file
                + " as csv: Invalid Input Error: Error when sniffing file \""
                + file
                + "\". It was not possible to automatically detect the CSV parsing dialect");
  }
}
