package dev.weir.tasks.duck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.task.Dataset;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Masking#hash} in Java (change data capture) gives what {@link Masking#select} gives in
 * DuckDB (jdbc.load, sql.transform) for the same value of each type.
 */
class MaskingTextTest {
  private record Case(Object java, String duckLiteral, String duckType) {}

  private static final List<Case> CASES =
      List.of(
          new Case("ann@example.com", "'ann@example.com'", "VARCHAR"),
          new Case(42L, "42::BIGINT", "BIGINT"),
          new Case(7, "7::INTEGER", "INTEGER"),
          new Case(true, "true", "BOOLEAN"),
          new Case(
              LocalDateTime.of(2026, 3, 4, 5, 6, 7, 123_456_000),
              "TIMESTAMP '2026-03-04 05:06:07.123456'",
              "TIMESTAMP"),
          new Case(
              LocalDateTime.of(2026, 3, 4, 5, 6, 7),
              "TIMESTAMP '2026-03-04 05:06:07'",
              "TIMESTAMP"),
          new Case(
              LocalDateTime.of(2026, 3, 4, 5, 6, 7, 120_000_000),
              "TIMESTAMP '2026-03-04 05:06:07.12'",
              "TIMESTAMP"),
          new Case(
              OffsetDateTime.parse("2026-01-02T10:00:00.5+05:00"),
              "TIMESTAMPTZ '2026-01-02 10:00:00.5+05'",
              "TIMESTAMP WITH TIME ZONE"),
          new Case(LocalDate.of(2026, 1, 2), "DATE '2026-01-02'", "DATE"),
          new Case(LocalTime.of(5, 6), "TIME '05:06:00'", "TIME"),
          new Case(new BigDecimal("10.50"), "10.50::DECIMAL(10,2)", "DECIMAL(10,2)"),
          new Case(new BigDecimal("0.000010"), "0.00001::DECIMAL(10,6)", "DECIMAL(10,6)"),
          new Case(new BigDecimal("-5.0000000000"), "(-5)::DECIMAL(38,10)", "DECIMAL(38,10)"),
          new Case(1.5d, "1.5::DOUBLE", "DOUBLE"),
          new Case(100.0d, "100.0::DOUBLE", "DOUBLE"),
          new Case(1e20d, "1e20::DOUBLE", "DOUBLE"),
          new Case(1.5e-7d, "1.5e-7::DOUBLE", "DOUBLE"),
          new Case(1e15d, "1e15::DOUBLE", "DOUBLE"),
          new Case(0.0001d, "0.0001::DOUBLE", "DOUBLE"),
          new Case(
              new byte[] {(byte) 0xAA, 0x41, 0x5C, 0x00, 0x20, 0x7A},
              "'\\xAA\\x41\\x5C\\x00 z'::BLOB",
              "BLOB"));

  @Test
  void a_value_hashed_in_java_equals_the_same_value_hashed_by_duckdb() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        var st = c.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
      for (Case k : CASES) {
        st.execute("CREATE OR REPLACE TABLE t AS SELECT " + k.duckLiteral() + " AS v");
        String sql =
            Masking.select(
                "t",
                List.of(new Dataset.Column("v", k.duckType())),
                Map.of("v", Masking.Rule.HASH),
                "pepper");
        try (var rs = st.executeQuery(sql);
            var text = c.createStatement().executeQuery("SELECT CAST(v AS VARCHAR) FROM t")) {
          rs.next();
          text.next();
          assertThat(Masking.text(k.java())).as(k.duckLiteral()).isEqualTo(text.getString(1));
          assertThat(Masking.hash("pepper", k.java()))
              .as(k.duckLiteral())
              .isEqualTo(rs.getString(1));
        }
      }
    }
  }

  @Test
  void bytes_hash_by_content_not_by_identity() {
    assertThat(Masking.hash("s", new byte[] {1, 2, 3}))
        .isEqualTo(Masking.hash("s", new byte[] {1, 2, 3}))
        .isNotEqualTo(Masking.hash("s", new byte[] {1, 2, 4}));
  }
}
