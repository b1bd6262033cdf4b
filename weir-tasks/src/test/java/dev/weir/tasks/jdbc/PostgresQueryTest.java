package dev.weir.tasks.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.testing.TestDatabases;
import org.junit.jupiter.api.Test;

/** {@code jdbc.query} on PostgreSQL. */
class PostgresQueryTest extends QueryContract {
  @Override
  String freshUrl() {
    return TestDatabases.freshPostgresSchemaUrl();
  }

  @Test
  void a_statement_past_its_timeout_is_stopped_and_named() throws Exception {
    long started = System.nanoTime();
    assertThatThrownBy(() ->
            query(
                """
                connection: dw
                queryTimeout: 1s
                sql: |
                  INSERT INTO accounts VALUES (1, 10);
                  SELECT pg_sleep(30);
                """))
        .hasMessageContaining("statement 2 of 2 failed (line 2: SELECT pg_sleep(30))")
        .hasMessageContaining("rolled back");
    assertThat((System.nanoTime() - started) / 1e9).isLessThan(15);
    assertThat(db.rows("SELECT count(*) FROM accounts")).containsExactly("0");
  }

  @Test
  void function_bodies_in_dollar_quotes_run_whole() throws Exception {
    var r =
        query(
            """
            connection: dw
            sql: |
              CREATE FUNCTION bump(n int) RETURNS int AS $$
                SELECT n + 1;
              $$ LANGUAGE sql;
              INSERT INTO accounts VALUES (1, bump(41));
            """);
    assertThat(r.outputs()).containsEntry("statements", 2);
    assertThat(db.rows("SELECT balance FROM accounts")).containsExactly("42");
  }
}
