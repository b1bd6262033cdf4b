package dev.weir.tasks.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlScriptTest {
  private static List<String> sql(String script) {
    return SqlScript.split(script, false).stream().map(SqlScript.Statement::sql).toList();
  }

  @Test
  void splits_at_semicolons_that_end_statements() {
    assertThat(sql("CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\n\n  SELECT 1  ;;"))
        .containsExactly("CREATE TABLE t (a int)", "INSERT INTO t VALUES (1)", "SELECT 1");
  }

  @Test
  void keeps_semicolons_in_quotes_comments_and_dollar_quotes() {
    String script =
        """
        INSERT INTO t VALUES ('a;b', 'it''s; fine', "odd;name");
        -- a comment; not a statement
        /* block; comment */ UPDATE t SET a = 1;
        CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;
        DO $body$ BEGIN PERFORM 1; END $body$;
        SELECT a$b, $1 FROM t
        """;
    assertThat(sql(script))
        .containsExactly(
            "INSERT INTO t VALUES ('a;b', 'it''s; fine', \"odd;name\")",
            "UPDATE t SET a = 1",
            "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
            "DO $body$ BEGIN PERFORM 1; END $body$",
            "SELECT a$b, $1 FROM t");
  }

  @Test
  void backslash_escapes_only_where_the_database_has_them() {
    String script = "INSERT INTO t VALUES ('a\\';b'); SELECT 2";
    assertThat(SqlScript.split(script, true).getFirst().sql())
        .isEqualTo("INSERT INTO t VALUES ('a\\';b')");
    // standard SQL: the backslash is a character, the quote ends the string
    assertThat(SqlScript.split(script, false).getFirst().sql())
        .isEqualTo("INSERT INTO t VALUES ('a\\'");
  }

  @Test
  void numbers_statements_and_knows_their_lines() {
    var statements =
        SqlScript.split("\n-- setup\nCREATE TABLE t (a int);\n\nINSERT INTO t\nVALUES (1);", false);
    assertThat(statements)
        .extracting(SqlScript.Statement::number, SqlScript.Statement::line)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, 3), org.assertj.core.groups.Tuple.tuple(2, 5));
    assertThat(statements.get(1).firstLine()).isEqualTo("INSERT INTO t");
  }

  @Test
  void comments_alone_are_no_statement() {
    assertThat(sql("-- nothing here\n/* nor here */ ; ;")).isEmpty();
    assertThat(sql("SELECT 1; -- trailing comment")).containsExactly("SELECT 1");
  }

  @Test
  void an_unclosed_quote_runs_to_the_end() {
    assertThat(sql("SELECT 'open; still open")).containsExactly("SELECT 'open; still open");
  }
}
